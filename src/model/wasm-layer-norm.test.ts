import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerNorm } from './encoder.ts';
import { nodeWasmPaths } from './node.ts';
import { installWasmKernels } from './wasm-kernels.ts';
import { fusedLayerNormValue, LAYER_NORM_KERNEL } from './wasm-layer-norm.ts';
import { maxDiff, referenceLayerNorm } from './test-fixtures.ts';

describe('fused layer norm on wasm (inference)', () => {
  beforeAll(async () => {
    setWasmPaths(nodeWasmPaths());
    await tf.setBackend('wasm');
    installWasmKernels();
  });

  it('one kernel, the value of the plain formula (that layerNorm, used in training, also gives); nothing leaks', async () => {
    const start = tf.memory().numTensors;
    // The last shape is large enough to grow the heap while the output is allocated.
    for (const shape of [[3, 4, 8], [2, 50, 64], [1024, 64, 64]]) {
      const d = shape.at(-1)!;
      const x = tf.randomNormal(shape, 0.5, 2, 'float32', 1);
      const g = tf.randomNormal([d], 1, 0.3, 'float32', 2);
      const b = tf.randomNormal([d], 0, 0.3, 'float32', 3);
      const profile = await tf.profile(() => fusedLayerNormValue(x, g, b)!);
      expect(profile.kernels.map((k) => k.name)).toEqual([LAYER_NORM_KERNEL]);
      (profile.result as tf.Tensor).dispose();
      tf.tidy(() => {
        const fused = fusedLayerNormValue(x, g, b)!;
        expect(fused.shape).toEqual(shape);
        expect(maxDiff(fused, referenceLayerNorm(x, g, b))).toBeLessThan(1e-5);
        expect(maxDiff(fused, layerNorm(x, g, b))).toBeLessThan(1e-5);
      });
      tf.dispose([x, g, b]);
    }
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('fused layer norm elsewhere', () => {
  it('is not used off wasm', async () => {
    await tf.setBackend('cpu');
    expect(fusedLayerNormValue(tf.ones([2, 4]), tf.ones([4]), tf.zeros([4]))).toBeUndefined();
  });
});

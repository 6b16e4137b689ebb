import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropout, dropoutMask, layerNorm } from './encoder.ts';
import { createRng } from './rng.ts';
import { maxDiff, referenceLayerNorm } from './test-fixtures.ts';

describe('encoder pieces', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('layerNorm: value and gradients (x, gamma, beta) match autograd of the plain formula', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 4, 8], 0, 2, 'float32', 1);
      const g = tf.randomNormal([8], 1, 0.3, 'float32', 2);
      const b = tf.randomNormal([8], 0, 0.3, 'float32', 3);
      const w = tf.randomNormal([3, 4, 8], 0, 1, 'float32', 4);
      const loss = (f: typeof layerNorm) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(xx, gg, bb), w));
      expect(maxDiff(layerNorm(x, g, b), referenceLayerNorm(x, g, b))).toBeLessThan(1e-5);
      const ours = tf.grads(loss(layerNorm))([x, g, b]);
      const ref = tf.grads(loss(referenceLayerNorm))([x, g, b]);
      ours.forEach((t, i) => expect(maxDiff(t, ref[i]!)).toBeLessThan(1e-4));
    });
  });

  it('dropoutMask is exactly the mask of createRng(seed).next() >= rate', () => {
    for (const rate of [0.3, 0.1, 0.5, 1e-6, 0.999999, 1 - 2 ** -33]) {
      for (const seed of [0, 1, 12345, 0x7fffffff]) {
        const rng = createRng(seed);
        const expected = Float32Array.from({ length: 1500 }, () => (rng.next() >= rate ? 1 / (1 - rate) : 0));
        expect(dropoutMask(1500, rate, seed)).toEqual(expected);
      }
    }
  });

  it('dropout: zeroes ~rate of the entries, scales the rest by 1/(1-rate), same mask for the same seed', () => {
    tf.tidy(() => {
      const x = tf.ones([100, 100]);
      const run = { training: true, seed: () => 7 };
      const y = dropout(x, 0.3, run).dataSync();
      const zeros = y.filter((v) => v === 0).length / y.length;
      expect(zeros).toBeGreaterThan(0.27);
      expect(zeros).toBeLessThan(0.33);
      expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
      expect(Array.from(dropout(x, 0.3, run).dataSync())).toEqual(Array.from(y));
      expect(Array.from(dropout(x, 0.3, { training: true, seed: () => 8 }).dataSync())).not.toEqual(Array.from(y));
      expect(dropout(x, 0.3, { training: false, seed: () => 7 })).toBe(x);
    });
  });
});

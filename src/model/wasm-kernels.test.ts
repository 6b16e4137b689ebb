import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from './node.ts';
import { shareWasmIdentity } from './wasm-kernels.ts';

describe('shareWasmIdentity', () => {
  beforeAll(async () => {
    await selectNodeBackend('wasm');
  });

  it('clones share the buffer, survive the original, and gradients are unchanged', () => {
    const f = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.square(x), tf.softmax(x)));
    const start = tf.memory().numTensors;
    const x = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
    const before = tf.grad(f)(x);
    shareWasmIdentity();
    shareWasmIdentity();
    const buffers = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 0.5, 4, -1]);
    const after = tf.grad(f)(y);
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    const strings = tf.tensor1d(['a', 'b'], 'string');
    const s = tf.clone(strings);
    strings.dispose();
    expect(s.dataSync()).toEqual(['a', 'b']);
    tf.dispose([y, before, after, s]);
    expect(tf.memory().numTensors).toBe(start);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from './node.ts';
import { matMul, matMulBT, softmaxCrossEntropySum, tanh, transposeLast } from './ops.ts';
import { maxDiff } from './test-fixtures.ts';

/** The wasm-only routes of ops.ts (depthwise-convolution products, sigmoid tanh) against tfjs built-ins on wasm. */
describe('ops on the wasm backend', () => {
  beforeAll(async () => {
    await selectNodeBackend('wasm');
  });

  // Batch 6 takes the convolution route; batch 1 (one shopper) XNNPACK's 2-D products.
  for (const batch of [6, 1]) it(`batched matMul and matMulBT, batch ${batch}: values and gradients (every transpose)`, () => {
    tf.tidy(() => {
      // [B, T, d] attention shapes: T >= 8 sends every product, [T, T] outputs included, to the convolution.
      const q = tf.randomNormal([batch, 9, 40], 0, 1, 'float32', 1);
      const k = tf.randomNormal([batch, 9, 40], 0, 1, 'float32', 2);
      const p = tf.softmax(tf.randomNormal([batch, 9, 9], 0, 1, 'float32', 3));
      const ws = tf.randomNormal([batch, 9, 9], 0, 1, 'float32', 4);
      const wc = tf.randomNormal([batch, 9, 40], 0, 1, 'float32', 5);
      const fBT = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(matMulBT(a as tf.Tensor3D, b as tf.Tensor3D), ws));
      const rBT = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, false, true), ws));
      const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(matMul(a as tf.Tensor3D, b as tf.Tensor3D), wc));
      const r = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), wc));
      expect(maxDiff(matMulBT(q as tf.Tensor3D, k as tf.Tensor3D), tf.matMul(q, k, false, true))).toBeLessThan(1e-4);
      expect(maxDiff(matMul(p as tf.Tensor3D, k as tf.Tensor3D), tf.matMul(p, k))).toBeLessThan(1e-5);
      for (const [ours, ref] of [[tf.grads(fBT)([q, k]), tf.grads(rBT)([q, k])], [tf.grads(f)([p, k]), tf.grads(r)([p, k])]]) {
        ours!.forEach((g, i) => expect(maxDiff(g, ref![i]!)).toBeLessThan(1e-4));
      }
    });
  });

  it('tanh as 2 sigmoid(2x) - 1: within 3e-7 of tf.tanh, gradient of the built-in', () => {
    tf.tidy(() => {
      const x = tf.concat([tf.randomNormal([500], 0, 3, 'float32', 6), tf.tensor1d([0, 1e-8, -1e-8, 30, -30, 100])]);
      const w = tf.randomNormal([506], 0, 1, 'float32', 7);
      expect(maxDiff(tanh(x), tf.tanh(x))).toBeLessThan(3e-7);
      const [ours] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tanh(v), w)))([x]);
      const [ref] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.tanh(v), w)))([x]);
      expect(maxDiff(ours!, ref!)).toBeLessThan(1e-5);
    });
  });

  it('transposeLast of a [2048, c] matrix (3-D route) and softmaxCrossEntropySum match the built-ins', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2048, 7], 0, 1, 'float32', 8);
      expect(maxDiff(transposeLast(x), tf.transpose(x))).toBe(0);
      const u = tf.randomNormal([40, 16], 0, 1, 'float32', 9) as tf.Tensor2D;
      const v = tf.randomNormal([300, 16], 0, 1, 'float32', 10) as tf.Tensor2D;
      const labels = tf.tensor1d(Array.from({ length: 40 }, (_, i) => (i * 37) % 300), 'int32');
      const f1 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => softmaxCrossEntropySum(a as tf.Tensor2D, b as tf.Tensor2D, labels);
      const f2 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 300), tf.matMul(a, b, false, true), undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
      expect(Math.abs(f1(u, v).dataSync()[0]! - f2(u, v).dataSync()[0]!)).toBeLessThan(1e-3);
      const g1 = tf.grads(f1)([u, v]);
      const g2 = tf.grads(f2)([u, v]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i]!)).toBeLessThan(1e-5));
    });
  });
});

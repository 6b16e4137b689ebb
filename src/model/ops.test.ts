import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense, denseFrozenInput, gatherRows, matMul, matMulBT, softmaxCrossEntropySum, takeRows } from './ops.ts';

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

describe('custom-gradient ops (agree with tfjs built-ins)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matMul and matMulBT: values and gradients, 2-D and batched', () => {
    tf.tidy(() => {
      for (const [sa, sb] of [[[3, 4], [4, 5]], [[2, 3, 4], [2, 4, 5]]] as const) {
        const a = tf.randomNormal([...sa], 0, 1, 'float32', 1);
        const b = tf.randomNormal([...sb], 0, 1, 'float32', 2);
        const w = tf.randomNormal([...sa.slice(0, -1), sb[sb.length - 1]!], 0, 1, 'float32', 3);
        const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, b]);
        const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, b]);
        expect(maxDiff(ours[0]!, ref[0]!)).toBeLessThan(1e-5);
        expect(maxDiff(ours[1]!, ref[1]!)).toBeLessThan(1e-5);
        const bt = tf.transpose(b, sb.length === 2 ? [1, 0] : [0, 2, 1]);
        const oursT = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMulBT(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, bt]);
        const refT = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true), w)))([a, bt]);
        expect(maxDiff(oursT[0]!, refT[0]!)).toBeLessThan(1e-5);
        expect(maxDiff(oursT[1]!, refT[1]!)).toBeLessThan(1e-5);
      }
    });
  });

  it('gatherRows sums the gradient of repeated indices', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([5, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
      const idx = tf.tensor1d([1, 1, 4, 0], 'int32');
      const [g] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t as tf.Tensor2D, idx), tf.range(1, 13).reshape([4, 3]))))([table]);
      expect(Array.from(g!.dataSync())).toEqual([10, 11, 12, 5, 7, 9, 0, 0, 0, 0, 0, 0, 7, 8, 9]);
    });
  });

  it('takeRows gathers rows; denseFrozenInput matches dense with the weight gradients only', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([6, 5], 0, 1, 'float32', 7);
      const idx = tf.tensor1d([5, 0, 5, 2], 'int32');
      expect(maxDiff(takeRows(table, idx), tf.gather(table, idx))).toBe(0);
      const x = tf.randomNormal([4, 5], 0, 1, 'float32', 8) as tf.Tensor2D;
      const w = tf.randomNormal([5, 3], 0, 1, 'float32', 9) as tf.Tensor2D;
      const b = tf.randomNormal([3], 0, 1, 'float32', 10) as tf.Tensor1D;
      const out = tf.randomNormal([4, 3], 0, 1, 'float32', 11);
      const ours = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(denseFrozenInput(x, ww as tf.Tensor2D, bb as tf.Tensor1D), out)))([w, b]);
      const ref = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(dense(x, ww as tf.Tensor2D, bb as tf.Tensor1D), out)))([w, b]);
      expect(maxDiff(denseFrozenInput(x, w, b), dense(x, w, b))).toBeLessThan(1e-6);
      expect(maxDiff(ours[0]!, ref[0]!)).toBeLessThan(1e-5);
      expect(maxDiff(ours[1]!, ref[1]!)).toBeLessThan(1e-5);
    });
  });

  it('softmaxCrossEntropySum is finite and exact for logits far apart (no exp underflow in the loss)', () => {
    tf.tidy(() => {
      const u = tf.tensor2d([[30, 0], [0, -30]]);
      const v = tf.tensor2d([[1, 0], [-1, 0], [0, 1]]);
      const labels = tf.tensor1d([1, 0], 'int32');
      const ref = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), tf.matMul(u, v, false, true), undefined, undefined, tf.Reduction.SUM);
      const ours = softmaxCrossEntropySum(u, v, labels);
      expect(Number.isFinite(ours.dataSync()[0])).toBe(true);
      expect(Math.abs(ours.dataSync()[0]! - ref.dataSync()[0]!)).toBeLessThan(1e-3);
    });
  });

  it('softmaxCrossEntropySum matches softmaxCrossEntropy on U V^T', () => {
    tf.tidy(() => {
      const u = tf.randomNormal([6, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
      const v = tf.randomNormal([9, 4], 0, 1, 'float32', 6) as tf.Tensor2D;
      const labels = tf.tensor1d([0, 3, 3, 8, 2, 5], 'int32');
      const f1 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => softmaxCrossEntropySum(a as tf.Tensor2D, b as tf.Tensor2D, labels);
      const f2 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 9), tf.matMul(a, b, false, true), undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
      expect(maxDiff(f1(u, v), f2(u, v))).toBeLessThan(1e-4);
      const g1 = tf.grads(f1)([u, v]);
      const g2 = tf.grads(f2)([u, v]);
      expect(maxDiff(g1[0]!, g2[0]!)).toBeLessThan(1e-5);
      expect(maxDiff(g1[1]!, g2[1]!)).toBeLessThan(1e-5);
    });
  });
});

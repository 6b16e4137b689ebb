import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchedProductByConv,
  dense,
  denseFrozenInput,
  gatherRows,
  matMul,
  matMulBT,
  rowDot,
  softmaxCrossEntropySum,
  sumRows,
  takeRows,
  tanh,
  transposeLast,
  weightedSum,
} from './ops.ts';
import { customOp } from './custom-op.ts';
import { maxDiff } from './test-fixtures.ts';

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

  it('batchedProductByConv equals the batched matMul for every transpose combination', () => {
    tf.tidy(() => {
      const a = tf.randomNormal([5, 3, 4], 0, 1, 'float32', 12) as tf.Tensor3D; // [B, m, k]
      const b = tf.randomNormal([5, 4, 6], 0, 1, 'float32', 13) as tf.Tensor3D; // [B, k, n]
      const at = tf.transpose(a, [0, 2, 1]) as tf.Tensor3D;
      const bt = tf.transpose(b, [0, 2, 1]) as tf.Tensor3D;
      const ref = tf.matMul(a, b);
      expect(batchedProductByConv(a, b, false, false).shape).toEqual([5, 3, 6]);
      expect(maxDiff(batchedProductByConv(a, b, false, false), ref)).toBeLessThan(1e-5);
      expect(maxDiff(batchedProductByConv(at, b, true, false), ref)).toBeLessThan(1e-5);
      expect(maxDiff(batchedProductByConv(a, bt, false, true), ref)).toBeLessThan(1e-5);
      expect(maxDiff(batchedProductByConv(at, bt, true, true), ref)).toBeLessThan(1e-5);
    });
  });

  it('tanh: value and gradient of the built-in', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([7, 5], 0, 3, 'float32', 14);
      const w = tf.randomNormal([7, 5], 0, 1, 'float32', 15);
      expect(maxDiff(tanh(x), tf.tanh(x))).toBeLessThan(1e-6);
      const [ours] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tanh(v), w)))([x]);
      const [ref] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.tanh(v), w)))([x]);
      expect(maxDiff(ours!, ref!)).toBeLessThan(1e-5);
    });
  });

  it('weightedSum and rowDot: values and gradients of the plain broadcast-and-sum formulas', () => {
    tf.tidy(() => {
      const w = tf.randomNormal([6, 3], 0, 1, 'float32', 16) as tf.Tensor2D;
      const x = tf.randomNormal([6, 3, 5], 0, 1, 'float32', 17) as tf.Tensor3D;
      const y = tf.randomNormal([6, 5], 0, 1, 'float32', 18) as tf.Tensor2D;
      const r5 = tf.randomNormal([6, 5], 0, 1, 'float32', 19);
      const r3 = tf.randomNormal([6, 3], 0, 1, 'float32', 20);
      const plainSum = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.expandDims(a, 2), b), 1);
      const plainDot = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(a, tf.expandDims(b, 1)), 2);
      expect(maxDiff(weightedSum(w, x), plainSum(w, x))).toBeLessThan(1e-6);
      expect(maxDiff(rowDot(x, y), plainDot(x, y))).toBeLessThan(1e-6);
      const loss = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, r: tf.Tensor) => (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(a, b), r));
      const pairs: [tf.Tensor[], tf.Tensor[]][] = [
        [tf.grads(loss((a, b) => weightedSum(a as tf.Tensor2D, b as tf.Tensor3D), r5))([w, x]), tf.grads(loss(plainSum, r5))([w, x])],
        [tf.grads(loss((a, b) => rowDot(a as tf.Tensor3D, b as tf.Tensor2D), r3))([x, y]), tf.grads(loss(plainDot, r3))([x, y])],
      ];
      for (const [ours, ref] of pairs) ours.forEach((g, i) => expect(maxDiff(g, ref[i]!)).toBeLessThan(1e-5));
    });
  });

  it('sumRows and transposeLast take the 3-D route for row counts that are multiples of 1024, same values', () => {
    tf.tidy(() => {
      for (const rows of [1024, 2048, 1000]) {
        const x = tf.randomNormal([rows, 6], 0, 1, 'float32', rows);
        expect(maxDiff(sumRows(x), tf.sum(x, 0))).toBeLessThan(1e-4);
        expect(transposeLast(x).shape).toEqual([6, rows]);
        expect(maxDiff(transposeLast(x), tf.transpose(x))).toBe(0);
      }
    });
  });

  it('dense with a bias: gradients of x @ w + b', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 21);
      const w = tf.randomNormal([4, 5], 0, 1, 'float32', 22) as tf.Tensor2D;
      const b = tf.randomNormal([5], 0, 1, 'float32', 23) as tf.Tensor1D;
      const r = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 24);
      const plain = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Tensor => tf.add(tf.matMul(tf.reshape(xx, [6, 4]), ww), bb).reshape([2, 3, 5]);
      const ours = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Tensor => dense(xx, ww as tf.Tensor2D, bb as tf.Tensor1D);
      expect(maxDiff(ours(x, w, b), plain(x, w, b))).toBeLessThan(1e-5);
      const g1 = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(ours(xx, ww, bb), r)))([x, w, b]);
      const g2 = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(plain(xx, ww, bb), r)))([x, w, b]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i]!)).toBeLessThan(1e-5));
    });
  });

  it('softmaxCrossEntropySum clamps a row whose label probability underflows float32, gradient unchanged', () => {
    tf.tidy(() => {
      const u = tf.tensor2d([[100, 0], [1, 0]]);
      const v = tf.tensor2d([[1, 0], [0, 0], [-0.5, 0]]);
      const labels = tf.tensor1d([2, 0], 'int32');
      const y = tf.oneHot(labels, 3);
      const ref = tf.losses.softmaxCrossEntropy(y, tf.matMul(u, v, false, true), undefined, undefined, tf.Reduction.NONE).dataSync();
      // Row 0: the label's logit is 150 below the largest (p = e^-150, not a float32).
      const value = softmaxCrossEntropySum(u, v, labels).dataSync()[0]!;
      expect(value).toBeCloseTo(-Math.log(1.1754944e-38) + ref[1]!, 3);
      const f1 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => softmaxCrossEntropySum(a as tf.Tensor2D, b as tf.Tensor2D, labels);
      const f2 = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        tf.losses.softmaxCrossEntropy(y, tf.matMul(a, b, false, true), undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
      const g1 = tf.grads(f1)([u, v]);
      const g2 = tf.grads(f2)([u, v]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i]!)).toBeLessThan(1e-5));
    });
  });

  it('the ops leave no tensors behind (values and gradients)', () => {
    const x3 = tf.randomNormal([4, 3, 5]) as tf.Tensor3D;
    const y3 = tf.randomNormal([4, 5, 2]) as tf.Tensor3D;
    const w = tf.randomNormal([4, 3]) as tf.Tensor2D;
    const q = tf.randomNormal([4, 5]) as tf.Tensor2D;
    const u = tf.randomNormal([3, 5]) as tf.Tensor2D;
    const v = tf.randomNormal([6, 5]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 5, 2], 'int32');
    const big = tf.zeros([1024, 2]);
    const w52 = tf.randomNormal([5, 2]);
    const run = (): void => {
      tf.dispose(batchedProductByConv(x3, y3, false, false));
      tf.dispose(tf.grads((a: tf.Tensor) => tf.sum(tanh(a)))([x3]));
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(weightedSum(a as tf.Tensor2D, b as tf.Tensor3D)))([w, x3]));
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(rowDot(a as tf.Tensor3D, b as tf.Tensor2D)))([x3, q]));
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(dense(a, b as tf.Tensor2D, tf.ones([2]) as tf.Tensor1D)))([x3, w52]));
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => softmaxCrossEntropySum(a as tf.Tensor2D, b as tf.Tensor2D, labels))([u, v]));
      tf.dispose([sumRows(u), sumRows(big), transposeLast(big)]);
    };
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x3, y3, w, q, u, v, labels, big, w52]);
  });
});

describe('customOp', () => {
  // A deliberately unusual gradient (3 * dy) shows which path ran.
  const tripled = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.mul(args[0] as tf.Tensor, 2),
    gradFunc: (dy: tf.Tensor) => tf.mul(dy, 3),
  });

  it('runs the custom gradient under a tape, and the bare value (no wrapper, nothing left over) without one', async () => {
    const x = tf.tensor1d([1, -2, 4]);
    expect(Array.from(tf.grad((v: tf.Tensor) => tf.sum(customOp(tripled, v)))(x).dataSync())).toEqual([3, 3, 3]);
    const before = tf.memory().numTensors;
    const y = customOp(tripled, x);
    expect(Array.from(y.dataSync())).toEqual([2, -4, 8]);
    expect(tf.memory().numTensors).toBe(before + 1);
    // tf.customGrad would show up as an extra unnamed entry.
    const profile = await tf.profile(() => customOp(tripled, x));
    expect(profile.kernels.map((k) => k.name)).toEqual(['Multiply']);
    tf.dispose([x, y, profile.result as tf.Tensor]);
  });
});

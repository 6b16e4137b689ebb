import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeWasmPaths } from './node.ts';
import { installWasmKernels } from './wasm-kernels.ts';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** Deterministic pseudo-random integers (no Math.random: failures must reproduce). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const stridesOf = (shape: readonly number[]): number[] => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

/** x[begin : begin + size] of a row-major array, element by element (the reference). */
function sliceRef(values: ArrayLike<number>, shape: readonly number[], begin: readonly number[], size: readonly number[]): number[] {
  const strides = stridesOf(shape);
  const outStrides = stridesOf(size);
  const count = size.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, (_, o) => {
    let at = 0;
    size.forEach((_, k) => {
      at += (begin[k]! + Math.floor(o / outStrides[k]!) % size[k]!) * strides[k]!;
    });
    return values[at]!;
  });
}

const DTYPES = ['float32', 'int32', 'bool'] as const;

function randomTensor(shape: number[], dtype: (typeof DTYPES)[number], rand: (n: number) => number): { t: tf.Tensor; values: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, () => (dtype === 'float32' ? Math.fround((rand(2001) - 1000) / 7) : dtype === 'int32' ? rand(2001) - 1000 : rand(2)));
  return { t: tf.tensor(values, shape, dtype), values };
}

describe('wasm kernel fixes', () => {
  beforeAll(async () => {
    // The stock kernels first (selectBackend installs the fixes): the first case compares both.
    setWasmPaths(nodeWasmPaths());
    await tf.setBackend('wasm');
  });

  it('clones share the buffer, survive the original, and gradients are unchanged', () => {
    const f = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.square(x), tf.softmax(x)));
    const start = tf.memory().numTensors;
    const x = tf.tensor2d([[1, -2, 3], [0.5, 4, -1]]);
    const before = tf.grad(f)(x);
    installWasmKernels();
    installWasmKernels();
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

  it('slice, split and unstack copy exactly the right elements, every dtype and rank', () => {
    installWasmKernels();
    const rand = lcg(7);
    const start = tf.memory().numTensors;
    for (let round = 0; round < 120; round++) {
      const shape = Array.from({ length: 1 + rand(5) }, () => 1 + rand(5));
      const begin = shape.map((n) => rand(n));
      const size = shape.map((n, k) => rand(n - begin[k]! + 1)); // zeros included
      const axis = rand(shape.length);
      const dtype = DTYPES[round % 3]!;
      const { t, values } = randomTensor(shape, dtype, rand);
      tf.tidy(() => {
        expect(Array.from(tf.slice(t, begin, size).dataSync())).toEqual(sliceRef(values, shape, begin, size));
        const cut = rand(shape[axis]! + 1);
        const parts = tf.split(t, [cut, shape[axis]! - cut], axis);
        parts.forEach((p, i) => {
          const b = shape.map((_, k) => (k === axis ? (i === 0 ? 0 : cut) : 0));
          expect(p.shape).toEqual(shape.map((n, k) => (k === axis ? (i === 0 ? cut : n - cut) : n)));
          expect(Array.from(p.dataSync())).toEqual(sliceRef(values, shape, b, p.shape));
        });
        const negative = axis - shape.length;
        tf.unstack(t, negative).forEach((p, i) => {
          expect(p.shape).toEqual(shape.filter((_, k) => k !== axis));
          const b = shape.map((_, k) => (k === axis ? i : 0));
          expect(Array.from(p.dataSync())).toEqual(sliceRef(values, shape, b, shape.map((n, k) => (k === axis ? 1 : n))));
        });
      });
      t.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('copies large tensors right (outputs that may grow the heap), and strings on the original kernels (tf.split takes no strings)', () => {
    installWasmKernels();
    const big = tf.range(0, 1 << 24, 1, 'int32'); // 64 MB
    const tail = tf.slice(big, [(1 << 24) - 5], [5]);
    const head = tf.slice(tf.reshape(big, [1 << 12, 1 << 12]), [0, 3], [1 << 12, 1 << 11]); // 32 MB, strided
    expect(Array.from(tail.dataSync())).toEqual([16777211, 16777212, 16777213, 16777214, 16777215]);
    const h = head.dataSync();
    expect([h[0], h[1], h[(1 << 11) - 1], h[1 << 11], h[(1 << 23) - 1]]).toEqual([3, 4, 2050, 4099, (1 << 24) - 1 - 2045]);
    const words = tf.tensor2d([['a', 'b', 'c'], ['d', 'e', 'f']]);
    expect(tf.slice(words, [0, 1], [2, 2]).arraySync()).toEqual([['b', 'c'], ['e', 'f']]);
    expect(tf.unstack(words, 1).map((w) => w.arraySync())).toEqual([['a', 'd'], ['b', 'e'], ['c', 'f']]);
    tf.dispose([big, tail, head, words]);
  });

  it('gradients through concat and stack are unchanged', () => {
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.concat([tf.stack([a, b], 1), tf.stack([b, a], 1)], 2), tf.range(1, 37).reshape([3, 2, 6])));
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const b = tf.tensor2d([[-1, 0.5, 2], [3, -4, 0], [1, 1, 1]]);
    const start = tf.memory().numTensors;
    const grads = tf.grads(f)([a, b]);
    // d/da: the weights multiplying a in the [3, 2, 6] product (stack slot 0 of the first
    // half, slot 1 of the second half), summed.
    const w = tf.tidy(() => tf.range(1, 37).reshape([3, 2, 6]).arraySync() as number[][][]);
    expect(grads[0]!.arraySync()).toEqual(w.map((r) => [0, 1, 2].map((j) => r[0]![j]! + r[1]![j + 3]!)));
    expect(grads[1]!.arraySync()).toEqual(w.map((r) => [0, 1, 2].map((j) => r[1]![j]! + r[0]![j + 3]!)));
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(start);
    tf.dispose([a, b]);
  });
});

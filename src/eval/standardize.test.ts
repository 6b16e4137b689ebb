import { describe, expect, it } from 'vitest';
import { moments, transformScores } from './standardize.ts';

function twoPass(x: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let squares = 0;
  for (const v of x) squares += (v - mean) ** 2;
  return { mean, std: Math.sqrt(squares / x.length) || 1 };
}

describe('moments', () => {
  it('agrees with the two-pass mean and deviation, also far from 0 and for lengths not a multiple of 4', () => {
    let seed = 3;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const [n, offset] of [[1001, 0], [1003, 1e4], [7, -3]] as const) {
      const x = Float32Array.from({ length: n }, () => offset + random() - 0.5);
      const got = moments(x);
      const want = twoPass(x);
      expect(Math.abs(got.mean - want.mean)).toBeLessThan(1e-12 * Math.max(1, Math.abs(offset)));
      expect(Math.abs(got.std / want.std - 1)).toBeLessThan(1e-9);
    }
  });

  it('gives std 1 for equal values and for no values', () => {
    expect(moments(Float32Array.from([4, 4, 4, 4, 4]))).toEqual({ mean: 4, std: 1 });
    expect(moments(new Float32Array(0))).toEqual({ mean: 0, std: 1 });
  });
});

describe('transformScores', () => {
  it("is the scores themselves for 'z' and sign x log1p for 'log-z', runs of equal scores included", () => {
    const s = Float32Array.from([0, 0, 3, 3, -2, 0, 7]);
    expect(transformScores(s, 'z')).toBe(s);
    const buffer = new Float32Array(10);
    const x = transformScores(s, 'log-z', buffer);
    expect(x.buffer).toBe(buffer.buffer);
    expect(Array.from(x)).toEqual(Array.from(s, (v) => Math.fround(Math.sign(v) * Math.log1p(Math.abs(v)))));
  });
});

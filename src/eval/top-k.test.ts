import { describe, expect, it } from 'vitest';
import { topK } from './top-k.ts';

const items = Int32Array.from([11, 12, 13, 14, 15]);

describe('topK', () => {
  it('returns the k best, best first, ties in catalog order', () => {
    expect(topK(Float32Array.from([0.1, 0.9, 0.5, 0.9, 0.2]), items, 3)).toEqual([
      { item: 12, score: Math.fround(0.9) },
      { item: 14, score: Math.fround(0.9) },
      { item: 13, score: 0.5 },
    ]);
  });

  it('skips NaN and excluded items; -Infinity still fills a short list', () => {
    const scores = [NaN, -Infinity, 3, NaN, 1];
    expect(topK(scores, items, 2, new Set([13]))).toEqual([{ item: 15, score: 1 }, { item: 12, score: -Infinity }]);
    expect(topK([NaN, NaN, NaN, NaN, NaN], items, 2)).toEqual([]);
  });

  it('k larger than the list, and k of 0', () => {
    expect(topK([1, 2, 3, 4, 5], items, 10).map((r) => r.item)).toEqual([15, 14, 13, 12, 11]);
    expect(topK([1, 2, 3, 4, 5], items, 0)).toEqual([]);
  });

  it('agrees with a full sort on random scores', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const scores = Float32Array.from({ length: 5000 }, () => Math.round(random() * 500) / 500);
    const ids = Int32Array.from({ length: 5000 }, (_, i) => i + 1);
    const sorted = [...ids].map((item, i) => ({ item, score: scores[i]! })).sort((a, b) => b.score - a.score || a.item - b.item);
    expect(topK(scores, ids, 25)).toEqual(sorted.slice(0, 25));
  });
});

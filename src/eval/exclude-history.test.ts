import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { evaluate } from './evaluate.ts';
import { excludeHistory, maskHistory } from './exclude-history.ts';
import type { Recommender } from './recommender.ts';

describe('excludeHistory', () => {
  it('masks exactly the history items among the candidates', () => {
    const out = maskHistory(Float32Array.from([5, 4, 3, 2]), Int32Array.from([7, 2]), Int32Array.from([1, 2, 3, 7]));
    expect([...out]).toEqual([5, Number.NEGATIVE_INFINITY, 3, Number.NEGATIVE_INFINITY]);
    expect([...maskHistory(Float32Array.from([1, 2]), new Int32Array(0), Int32Array.from([1, 2]))]).toEqual([1, 2]);
  });

  it('changes ranks by hand: a target behind two history items moves from rank 3 to rank 1', async () => {
    const catalog = createCatalog('t', [
      { id: 'a', domain: 'x' },
      { id: 'b', domain: 'x' },
      { id: 'c', domain: 'x' },
      { id: 'd', domain: 'x' },
    ]);
    // Fixed scores by item: history items 1 and 2 score above the target 3; item 4 below it.
    const fixed: Recommender = {
      name: 'fixed',
      score: async (requests) => requests.map((r) => Float32Array.from(r.candidates ?? catalog.domainItems[r.domain]!, (i) => 10 - i)),
      recommend: async () => [],
      dispose: () => {},
    };
    const cases = [{ user: 'u', history: Int32Array.from([1, 2]), target: 3, domain: 0, negatives: Int32Array.from([1, 2, 4]) }];
    const plain = await evaluate(fixed, catalog, cases, { full: true });
    const masked = await evaluate(excludeHistory(fixed, catalog), catalog, cases, { full: true });
    expect(plain.sampled.overall!['HR@1']).toBe(0);
    expect(plain.sampled.overall!.MRR).toBeCloseTo(1 / 3, 6);
    expect(masked.sampled.overall!['HR@1']).toBe(1);
    expect(masked.full!.overall!['HR@1']).toBe(1);
  });

  it('recommend() leaves out history and the caller exclusions', async () => {
    let seen: ReadonlySet<number> | undefined;
    const inner: Recommender = { name: 'i', score: async () => [], recommend: async (_h, _d, _k, exclude) => ((seen = exclude), []), dispose: () => {} };
    const catalog = createCatalog('t', [{ id: 'a', domain: 'x' }]);
    await excludeHistory(inner, catalog).recommend(Int32Array.from([1]), 0, 5, new Set([9]));
    expect([...seen!].sort()).toEqual([1, 9]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Recommender } from '../eval/recommender.ts';
import type { ExplainingRecommender } from './explain.ts';
import { priorInstead, withPriorFallback } from './prior-fallback.ts';
import { reportingWholeDomain, wholeDomainOf } from './whole-domain-info.ts';

const prior: Recommender = {
  name: 'cooccurrence',
  score: async (requests) => requests.map(() => Float32Array.from([1, 2])),
  recommend: async () => [{ item: 7, score: 2 }],
  dispose: () => undefined,
};

function failing(error: Error): ExplainingRecommender & { disposed: boolean } {
  const r = {
    name: 'haf+cooccurrence (bundle)',
    disposed: false,
    score: async () => Promise.reject(error),
    recommend: async () => Promise.reject(error),
    explain: async () => Promise.reject(error),
    dispose: () => void (r.disposed = true),
  };
  return r;
}

const lost = Object.assign(new Error('GPUDevice was lost'), { name: 'OperationError' });

describe('withPriorFallback', () => {
  it('answers from the prior once HAF fails at run time (e.g. a lost WebGPU device), and stays there', async () => {
    const haf = failing(lost);
    const seen: unknown[] = [];
    const r = withPriorFallback(haf, prior, (e) => seen.push(e));
    expect(r.servingPrimary).toBe(true);
    expect(await r.recommend(Int32Array.from([1]), 0, 1)).toEqual([{ item: 7, score: 2 }]);
    expect(seen).toEqual([lost]);
    expect(r.servingPrimary).toBe(false);
    expect(haf.disposed).toBe(true);
    expect(r.name).toMatch(/serving the prior/);
    expect(await r.score([{ history: Int32Array.from([1]), domain: 0 }])).toHaveLength(1);
    expect(await r.explain(Int32Array.from([1]), 0, Int32Array.from([2]))).toHaveLength(1);
  });

  it("reports no whole-domain pass once the prior serves (what the haf kind hands the tag's info())", async () => {
    const r = withPriorFallback(failing(lost), prior);
    const served = reportingWholeDomain(r, () => (r.servingPrimary ? { path: 'simd' as const, reason: 'requested' } : undefined));
    expect(wholeDomainOf(served)).toEqual({ path: 'simd', reason: 'requested' });
    await served.recommend(Int32Array.from([1]), 0, 1);
    expect(wholeDomainOf(served)).toBeUndefined();
  });

  it('lets configuration errors (the bundle does not fit the catalog) surface', async () => {
    const mismatch = Object.assign(new Error('domains differ'), { name: 'CatalogMismatchError' });
    await expect(withPriorFallback(failing(mismatch), prior).recommend(Int32Array.from([1]), 0, 1)).rejects.toThrow('domains differ');
  });

  it('priorInstead names why HAF is not serving', () => {
    expect(priorInstead(prior, new TypeError('Failed to fetch dynamically imported module')).name).toBe('cooccurrence (haf bundle: HAF unavailable, TypeError)');
  });
});

import type { Catalog, Sequence } from '../../catalog/types.ts';
import type { Recommendation, Recommender, ScoreRequest } from '../recommender.ts';
import { topK } from '../top-k.ts';
import { domainItemsOf } from '../../catalog/catalog.ts';

/** Occurrences of each internal index in the training sequences ([size + 1], 0 unused). */
export function countOccurrences(catalog: Catalog, train: readonly Sequence[]): Float64Array {
  const counts = new Float64Array(catalog.size + 1);
  for (const seq of train) for (const item of seq.items) counts[item]! += 1;
  return counts;
}

/** Per-domain popularity: an item's score is how often it occurs in training. */
export function createPopularity(catalog: Catalog, counts: Float64Array): Recommender {
  const scoreOne = (r: ScoreRequest): Float32Array => {
    const items = r.candidates ?? domainItemsOf(catalog, r.domain);
    return Float32Array.from(items, (i) => counts[i] ?? 0);
  };
  return {
    name: 'popularity',
    score: async (requests: readonly ScoreRequest[]) => requests.map(scoreOne),
    recommend: async (history, domain, k, exclude): Promise<Recommendation[]> => {
      const items = domainItemsOf(catalog, domain);
      return topK(scoreOne({ history, domain }), items, k, exclude);
    },
    dispose: () => undefined,
  };
}

import { domainItemsOf } from '../catalog/catalog.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Recommender, ScoreRequest } from './recommender.ts';

/**
 * The ranking a shopper is shown: the demo and the storefront never recommend an item that
 * is already in the history, so its score becomes -Infinity (ranked below every other
 * candidate). Evaluating through this decorator measures that ranking; the protocol's
 * candidate set (history items included) is unchanged. Food-Kitchen's training data has no
 * repeated item in any sequence (0 of 402,268 interactions), so the rule matches the data.
 */
export function excludeHistory(inner: Recommender, catalog: Catalog): Recommender {
  return {
    name: `${inner.name}, history excluded`,
    async score(requests: readonly ScoreRequest[]): Promise<Float32Array[]> {
      const scores = await inner.score(requests);
      return scores.map((s, k) => {
        const request = requests[k]!;
        return maskHistory(s, request.history, request.candidates ?? domainItemsOf(catalog, request.domain));
      });
    },
    recommend: (history, domain, k, exclude) => inner.recommend(history, domain, k, new Set([...history, ...(exclude ?? [])])),
    dispose: () => inner.dispose(),
  };
}

/** Scores (aligned with `candidates`) with every history item set to -Infinity, in place. */
export function maskHistory(scores: Float32Array, history: Int32Array, candidates: Int32Array): Float32Array {
  if (history.length === 0) return scores;
  const seen = new Set(history);
  for (let j = 0; j < candidates.length; j++) if (seen.has(candidates[j]!)) scores[j] = Number.NEGATIVE_INFINITY;
  return scores;
}

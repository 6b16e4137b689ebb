import { domainItemsOf, domainPositions } from '../catalog/catalog.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Recommendation, Recommender, ScoreRequest } from './recommender.ts';
import { BlendRanker, type BlendPart } from './blend-ranker.ts';
import { combineTerms, denseTerm } from './blend-top-k.ts';

export { BLEND_TRANSFORMS, standardize, type BlendTransform } from './standardize.ts';
export type { BlendPart } from './blend-ranker.ts';

/**
 * Weight of the co-occurrence part when blended with HAF (HAF weight 1): the best valid
 * NDCG@10 among 0.05-0.5 for the shipped Food-Kitchen weights (BENCHMARKS.md).
 */
export const DEFAULT_BLEND_WEIGHT = 0.1;

/**
 * A weighted sum of standardized recommender scores. Parts always score the whole target
 * domain, so the statistics, and therefore every candidate's score, do not depend on which
 * candidates were asked for: sampled and full rankings agree.
 */
export function createBlend(name: string, catalog: Catalog, parts: readonly BlendPart[]): Recommender {
  const slot = domainPositions(catalog);
  const ranker = new BlendRanker(parts);
  const score = async (requests: readonly ScoreRequest[]): Promise<Float32Array[]> => {
    const whole = requests.map((r) => ({ history: r.history, domain: r.domain }));
    const perPart = await Promise.all(parts.map((p) => p.recommender.score(whole)));
    return requests.map((r, i) => {
      const combined = new Float32Array(domainItemsOf(catalog, r.domain).length);
      combineTerms(parts.map((p, k) => denseTerm(perPart[k]![i]!, p.transform, p.weight)), 0, combined.length, combined);
      if (!r.candidates) return combined;
      return Float32Array.from(r.candidates, (item) => {
        const at = catalog.domainOf[item] === r.domain ? slot[item]! : -1;
        return at >= 0 ? combined[at]! : Number.NEGATIVE_INFINITY;
      });
    });
  };
  return {
    name,
    score,
    recommend: async (history, domain, k, exclude): Promise<Recommendation[]> => ranker.recommend(history, domain, domainItemsOf(catalog, domain), k, exclude),
    dispose: () => parts.forEach((p) => p.recommender.dispose()),
  };
}

/**
 * The model plus the co-occurrence prior, the recipe every product serves: the model's scores
 * standardized, plus `weight` times the standardized log co-occurrence scores (`weight` is
 * chosen on valid: DEFAULT_BLEND_WEIGHT for Food-Kitchen, the bundle's own choice for a shop).
 */
export function createPriorBlend(model: Recommender, prior: Recommender, catalog: Catalog, weight: number, name = 'haf+cooccurrence'): Recommender {
  return createBlend(name, catalog, [
    { recommender: model, weight: 1, transform: 'z' },
    { recommender: prior, weight, transform: 'log-z' },
  ]);
}

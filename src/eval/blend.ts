import { domainItemsOf, domainPositions } from '../catalog/catalog.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Recommendation, Recommender, ScoreRequest } from './recommender.ts';
import { topK } from './top-k.ts';

/**
 * Weight of the co-occurrence part when blended with HAF (HAF weight 1): the best valid
 * NDCG@10 among 0.05-0.5 for the shipped Food-Kitchen weights (BENCHMARKS.md).
 */
export const DEFAULT_BLEND_WEIGHT = 0.1;

export const BLEND_TRANSFORMS = ['z', 'log-z'] as const;
export type BlendTransform = (typeof BLEND_TRANSFORMS)[number];

export interface BlendPart {
  readonly recommender: Recommender;
  readonly weight: number;
  /** 'z': standardize over the domain; 'log-z': log1p first (for heavy-tailed counts). */
  readonly transform: BlendTransform;
}

/**
 * Standardized scores over a whole domain, so parts on different scales can be added.
 * Plain loops (sums in float64): this runs on every recommendation of a blend, and
 * callback-based typed-array map() took ~4x as long over a 27,637-item domain.
 */
export function standardize(scores: Float32Array, transform: BlendTransform): Float32Array {
  const n = scores.length;
  const x = new Float32Array(n);
  if (transform === 'log-z') {
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      x[i] = Math.sign(s) * Math.log1p(Math.abs(s));
    }
  } else {
    x.set(scores);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const mean = sum / (n || 1);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (x[i]! - mean) ** 2;
  const std = Math.sqrt(squares / (n || 1)) || 1;
  for (let i = 0; i < n; i++) x[i] = (x[i]! - mean) / std;
  return x;
}

/**
 * A weighted sum of standardized recommender scores. Parts always score the whole target
 * domain, so the statistics, and therefore every candidate's score, do not depend on which
 * candidates were asked for: sampled and full rankings agree.
 */
export function createBlend(name: string, catalog: Catalog, parts: readonly BlendPart[]): Recommender {
  const slot = domainPositions(catalog);
  const score = async (requests: readonly ScoreRequest[]): Promise<Float32Array[]> => {
    const whole = requests.map((r) => ({ history: r.history, domain: r.domain }));
    const perPart = await Promise.all(parts.map((p) => p.recommender.score(whole)));
    return requests.map((r, i) => {
      const combined = new Float32Array(domainItemsOf(catalog, r.domain).length);
      parts.forEach((p, k) => {
        const z = standardize(perPart[k]![i]!, p.transform);
        for (let j = 0; j < combined.length; j++) combined[j]! += p.weight * z[j]!;
      });
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
    recommend: async (history, domain, k, exclude): Promise<Recommendation[]> => {
      const [scores] = await score([{ history, domain }]);
      return topK(scores!, domainItemsOf(catalog, domain), k, exclude);
    },
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

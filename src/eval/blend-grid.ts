import type { Catalog, EvalCase } from '../catalog/types.ts';
import { combineTerms, denseTerm, type BlendTerm } from './blend-top-k.ts';
import { ranksFromDomainScores } from './evaluate.ts';
import { metricsByDomain, type MetricSet } from './metrics.ts';
import type { Recommender } from './recommender.ts';

/** One grid point: the blend at `weight`, or the prior alone when `weight` is null. */
export interface GridScore {
  readonly weight: number | null;
  readonly sampled: Record<string, MetricSet>;
  readonly full: Record<string, MetricSet>;
}

/**
 * Scores HAF and the prior ONCE per case (whole target domain), then ranks every blend
 * weight from those scores: z(HAF) + w x z(log1p prior), by the blend's own arithmetic
 * (combineTerms), so each grid point ranks exactly as `createBlend` at that weight (and as
 * the bundle serves it). The prior alone is ranked by its own scores.
 */
export async function evaluateBlendGrid(
  haf: Recommender,
  prior: Recommender,
  catalog: Catalog,
  cases: readonly EvalCase[],
  weights: readonly number[],
  batchSize = 64,
): Promise<GridScore[]> {
  const points: (number | null)[] = [...weights, null];
  const sampled: number[][] = points.map(() => []);
  const full: number[][] = points.map(() => []);
  for (let start = 0; start < cases.length; start += batchSize) {
    const batch = cases.slice(start, start + batchSize);
    const requests = batch.map((c) => ({ history: c.history, domain: c.domain }));
    const [h, p] = await Promise.all([haf.score(requests), prior.score(requests)]);
    batch.forEach((c, i) => {
      // The parts of createPriorBlend, transformed and measured once for every weight.
      const model = denseTerm(h[i]!, 'z', 1);
      const counts = denseTerm(p[i]!, 'log-z', 1);
      points.forEach((w, k) => {
        const ranks = ranksFromDomainScores(catalog, c, w === null ? p[i]! : blendScores(model, { ...counts, weight: w }));
        sampled[k]!.push(ranks.sampled);
        full[k]!.push(ranks.full);
      });
    });
  }
  const domains = cases.map((c) => c.domain);
  return points.map((weight, k) => ({
    weight,
    sampled: metricsByDomain(sampled[k]!, domains, catalog.domains),
    full: metricsByDomain(full[k]!, domains, catalog.domains),
  }));
}

function blendScores(model: BlendTerm, prior: BlendTerm): Float32Array {
  const out = new Float32Array(model.x.length);
  combineTerms([model, prior], 0, out.length, out);
  return out;
}

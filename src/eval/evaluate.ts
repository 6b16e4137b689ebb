import type { Catalog, EvalCase } from '../catalog/types.ts';
import type { Recommender, ScoreRequest } from './recommender.ts';
import { metricsByDomain, rankAgainst, rankInList, type MetricSet } from './metrics.ts';

export type MetricTable = Record<string, MetricSet>;

export interface EvalReport {
  readonly model: string;
  readonly split: string;
  /** Target against its 999 materialized negatives. */
  readonly sampled: MetricTable;
  /** Target against every other item of its domain (history items included); absent if not run. */
  readonly full?: MetricTable;
  /** Each shopper's ranks, in case order: what intervals and paired comparisons resample. */
  readonly ranks: CaseRanks;
}

export interface CaseRanks {
  /** Domain index of each case's target. */
  readonly domains: readonly number[];
  readonly sampled: readonly number[];
  readonly full?: readonly number[];
}

export interface EvalProgress {
  readonly done: number;
  readonly total: number;
}

export interface EvaluateOptions {
  readonly split?: string;
  /** Also rank against the whole target domain (default true). */
  readonly full?: boolean;
  readonly batchSize?: number;
  readonly onProgress?: (progress: EvalProgress) => void;
}

/**
 * Runs the protocol over evaluation cases. With `full`, each case's whole domain is
 * scored once and both rankings read from it; otherwise only target + negatives are scored.
 */
export async function evaluate(
  recommender: Recommender,
  catalog: Catalog,
  cases: readonly EvalCase[],
  options: EvaluateOptions = {},
): Promise<EvalReport> {
  const { full = true, batchSize = 64, split = 'unknown' } = options;
  const sampledRanks: number[] = [];
  const fullRanks: number[] = [];
  for (let start = 0; start < cases.length; start += batchSize) {
    const batch = cases.slice(start, start + batchSize);
    const scores = await recommender.score(batch.map((c) => request(c, full)));
    batch.forEach((c, i) => {
      const s = scores[i]!;
      if (full) {
        const ranks = ranksFromDomainScores(catalog, c, s);
        sampledRanks.push(ranks.sampled);
        fullRanks.push(ranks.full);
      } else {
        sampledRanks.push(rankAgainst(s[0]!, s.subarray(1)));
      }
    });
    options.onProgress?.({ done: Math.min(start + batchSize, cases.length), total: cases.length });
  }
  const domains = cases.map((c) => c.domain);
  return {
    model: recommender.name,
    split,
    sampled: metricsByDomain(sampledRanks, domains, catalog.domains),
    ...(full ? { full: metricsByDomain(fullRanks, domains, catalog.domains) } : {}),
    ranks: { domains, sampled: sampledRanks, ...(full ? { full: fullRanks } : {}) },
  };
}

function request(c: EvalCase, full: boolean): ScoreRequest {
  if (full) return { history: c.history, domain: c.domain };
  const candidates = new Int32Array(c.negatives.length + 1);
  candidates[0] = c.target;
  candidates.set(c.negatives, 1);
  return { history: c.history, domain: c.domain, candidates };
}

/** Both ranks of a case from scores aligned with `catalog.domainItems[c.domain]`. */
export function ranksFromDomainScores(
  catalog: Catalog,
  c: EvalCase,
  scores: Float32Array,
): { sampled: number; full: number } {
  const items = catalog.domainItems[c.domain]!;
  const at = (item: number): number => positionOf(items, item);
  const targetPos = at(c.target);
  const negativeScores = new Float32Array(c.negatives.length);
  c.negatives.forEach((n, i) => {
    negativeScores[i] = scores[at(n)]!;
  });
  return { sampled: rankAgainst(scores[targetPos]!, negativeScores), full: rankInList(scores, targetPos) };
}

/** Binary search in an ascending list; throws if absent (a case outside its domain). */
function positionOf(sorted: Int32Array, item: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === item) return mid;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new RangeError(`item ${item} is not in the target domain`);
}

/**
 * The protocol's metrics as pure functions. A rank is 1-based; ties count against the
 * model (a negative scoring >= the target pushes it down), and a NaN target score ranks last.
 */
export const METRIC_NAMES = ['HR@1', 'HR@5', 'HR@10', 'NDCG@5', 'NDCG@10', 'MRR'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricSet = Readonly<Record<MetricName, number>> & { readonly n: number };

/** 1 + the number of negatives whose score is >= the target's (NaN negatives count too). */
export function rankAgainst(targetScore: number, negativeScores: ArrayLike<number>): number {
  if (Number.isNaN(targetScore)) return negativeScores.length + 1;
  let rank = 1;
  for (let i = 0; i < negativeScores.length; i++) {
    const s = negativeScores[i]!;
    if (s >= targetScore || Number.isNaN(s)) rank++;
  }
  return rank;
}

/**
 * Rank of `scores[targetPos]` among all entries of `scores`, excluding the target itself:
 * the full-ranking variant over a whole domain.
 */
export function rankInList(scores: ArrayLike<number>, targetPos: number): number {
  const target = scores[targetPos]!;
  if (Number.isNaN(target)) return scores.length;
  let rank = 1;
  for (let i = 0; i < scores.length; i++) {
    if (i === targetPos) continue;
    const s = scores[i]!;
    if (s >= target || Number.isNaN(s)) rank++;
  }
  return rank;
}

export function hitRate(rank: number, k: number): number {
  return rank <= k ? 1 : 0;
}

export function ndcg(rank: number, k: number): number {
  return rank <= k ? 1 / Math.log2(rank + 1) : 0;
}

export function reciprocalRank(rank: number): number {
  return 1 / rank;
}

/** Means of every metric over a list of ranks (all zeros, n = 0, for an empty list). */
export function metricsFromRanks(ranks: readonly number[]): MetricSet {
  const n = ranks.length;
  const mean = (f: (r: number) => number): number => (n === 0 ? 0 : ranks.reduce((acc, r) => acc + f(r), 0) / n);
  return {
    'HR@1': mean((r) => hitRate(r, 1)),
    'HR@5': mean((r) => hitRate(r, 5)),
    'HR@10': mean((r) => hitRate(r, 10)),
    'NDCG@5': mean((r) => ndcg(r, 5)),
    'NDCG@10': mean((r) => ndcg(r, 10)),
    MRR: mean(reciprocalRank),
    n,
  };
}

/** Metrics per domain name and `overall`, from ranks tagged with their target's domain. */
export function metricsByDomain(
  ranks: readonly number[],
  domains: readonly number[],
  domainNames: readonly string[],
): Record<string, MetricSet> {
  const out: Record<string, MetricSet> = {};
  domainNames.forEach((name, d) => {
    out[name] = metricsFromRanks(ranks.filter((_, i) => domains[i] === d));
  });
  out.overall = metricsFromRanks(ranks);
  return out;
}

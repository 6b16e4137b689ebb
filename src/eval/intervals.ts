import type { CaseRanks, EvalReport } from './evaluate.ts';
import { bootstrapMean, pairedDifference, type BootstrapOptions, type Interval, type PairedInterval } from './bootstrap.ts';
import { ndcg } from './metrics.ts';

/** The headline metric the intervals are reported for. */
export const INTERVAL_METRIC = 'NDCG@10';
/** The ranking protocols a report holds: against the sampled negatives, or the whole domain. */
export const RANKINGS = ['sampled', 'full'] as const;
export type Ranking = (typeof RANKINGS)[number];

/** NDCG@10 of every shopper of one ranking, restricted to a domain (or all of them). */
function perShopper(ranks: CaseRanks, ranking: Ranking, domain: number | undefined): Float64Array | undefined {
  const list = ranks[ranking];
  if (!list) return undefined;
  const out: number[] = [];
  list.forEach((rank, i) => {
    if (domain === undefined || ranks.domains[i] === domain) out.push(ndcg(rank, 10));
  });
  return Float64Array.from(out);
}

/** Row labels of a report: each domain name and `overall` (undefined = every domain). */
function groups(report: EvalReport): [string, number | undefined][] {
  return [...Object.keys(report.sampled).filter((k) => k !== 'overall').map((name, d): [string, number] => [name, d]), ['overall', undefined]];
}

/** NDCG@10 per ranking and domain, each with its bootstrap interval over shoppers. */
export function reportIntervals(report: EvalReport, options: BootstrapOptions): Partial<Record<Ranking, Record<string, Interval>>> {
  const out: Partial<Record<Ranking, Record<string, Interval>>> = {};
  for (const ranking of RANKINGS) {
    if (!report.ranks[ranking]) continue;
    out[ranking] = Object.fromEntries(groups(report).map(([name, d]) => [name, bootstrapMean(perShopper(report.ranks, ranking, d)!, options)]));
  }
  return out;
}

/** NDCG@10 of `a` minus `b` per ranking and domain, paired over the same shoppers. */
export function compareReports(a: EvalReport, b: EvalReport, options: BootstrapOptions): Partial<Record<Ranking, Record<string, PairedInterval>>> {
  if (a.ranks.domains.length !== b.ranks.domains.length || a.ranks.domains.some((d, i) => b.ranks.domains[i] !== d)) {
    throw new RangeError(`${a.model} and ${b.model} were evaluated on different shoppers; compare reports of the same cases`);
  }
  const out: Partial<Record<Ranking, Record<string, PairedInterval>>> = {};
  for (const ranking of RANKINGS) {
    if (!a.ranks[ranking] || !b.ranks[ranking]) continue;
    out[ranking] = Object.fromEntries(
      groups(a).map(([name, d]) => [name, pairedDifference(perShopper(a.ranks, ranking, d)!, perShopper(b.ranks, ranking, d)!, options)]),
    );
  }
  return out;
}

/** hafrec/eval: the Recommender interface, protocol metrics, evaluate, baselines, blends, bootstrap intervals. */
export type { Recommender, ScoreRequest, Recommendation } from './recommender.ts';
export { evaluate } from './evaluate.ts';
export type { EvalReport, EvaluateOptions, EvalProgress, MetricTable } from './evaluate.ts';
export { METRIC_NAMES, rankAgainst, rankInList, metricsFromRanks, metricsByDomain, hitRate, ndcg, reciprocalRank } from './metrics.ts';
export type { MetricName, MetricSet } from './metrics.ts';
export { formatReport } from './report-table.ts';
export { topK } from './top-k.ts';
export { excludeHistory } from './exclude-history.ts';
export { createBlend, DEFAULT_BLEND_WEIGHT, BLEND_TRANSFORMS } from './blend.ts';
export type { BlendPart, BlendTransform } from './blend.ts';
export { selectEnsemble } from './ensemble-select.ts';
export type { EnsembleSelection, SelectionRound } from './ensemble-select.ts';
export { countOccurrences, createPopularity } from './baselines/popularity.ts';
export { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from './baselines/cooccurrence.ts';
export type { CooccurrenceParams, TransitionTable } from './baselines/cooccurrence.ts';
export { bootstrapMean, pairedDifference } from './bootstrap.ts';
export type { Interval, PairedInterval, BootstrapOptions } from './bootstrap.ts';
export { reportIntervals, compareReports } from './intervals.ts';

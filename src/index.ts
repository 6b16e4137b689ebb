export type { Item, Catalog, Sequence, EvalCase, Dataset, Split } from './catalog/types.ts';
export type { FeatureTable, Modality } from './catalog/features.ts';
export type { Recommender, ScoreRequest, Recommendation } from './eval/recommender.ts';
export {
  CatalogError,
  DataFormatError,
  UnknownItemError,
  UnknownDomainError,
  ChecksumError,
} from './catalog/errors.ts';
export { createCatalog, domainItemsOf } from './catalog/catalog.ts';
export { parseCatalogJson } from './catalog/catalog-json.ts';
export { parseFoodKitchen, DATASET_FILES } from './catalog/food-kitchen-parse.ts';
export { fetchFoodKitchen, DatasetFetchError } from './catalog/food-kitchen-fetch.ts';
export { evaluate, ranksFromDomainScores } from './eval/evaluate.ts';
export type { EvalReport, EvaluateOptions, EvalProgress, MetricTable } from './eval/evaluate.ts';
export { METRIC_NAMES, rankAgainst, rankInList, metricsFromRanks, metricsByDomain, hitRate, ndcg, reciprocalRank } from './eval/metrics.ts';
export type { MetricName, MetricSet } from './eval/metrics.ts';
export { formatReport } from './eval/report-table.ts';
export { topK } from './eval/top-k.ts';
export { countOccurrences, createPopularity } from './eval/baselines/popularity.ts';
export { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from './eval/baselines/cooccurrence.ts';
export type { CooccurrenceParams, TransitionTable } from './eval/baselines/cooccurrence.ts';
export { probeWebGpu } from './env/webgpu.ts';
export type { WebGpuInfo } from './env/webgpu.ts';

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
export { probeWebGpu } from './env/webgpu.ts';
export type { WebGpuInfo } from './env/webgpu.ts';

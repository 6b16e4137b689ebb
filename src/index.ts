/**
 * hafrec: the shared types and every typed error. Each layer has its own entry point
 * (package.json "exports"): hafrec/catalog, hafrec/eval, hafrec/model, hafrec/embedding,
 * hafrec/store, hafrec/engine, hafrec/node (Node-only loaders and the bundle writer) and
 * hafrec/embed (the storefront tag, built).
 */
export type { Item, Catalog, Sequence, EvalCase, Dataset, Split } from './catalog/types.ts';
export type { FeatureTable, Modality } from './catalog/features.ts';
export type { Recommender, ScoreRequest, Recommendation } from './eval/recommender.ts';
export type { HistoryEvent, EventInput, EventType } from './store/event.ts';
export type { RecommendedItem, RecommendationReason } from './engine/recommend-service.ts';
export { probeWebGpu } from './env/webgpu.ts';
export type { WebGpuInfo } from './env/webgpu.ts';
export { HafrecError, errorCode } from './errors/hafrec-error.ts';
export { RemoteError } from './errors/wire.ts';
export * from './catalog/errors.ts';
export {
  StoreError,
  InvalidEventError,
  StorageFullError,
  StoreCorruptError,
  StoreUnavailableError,
  StoreBlockedError,
  StoreVersionError,
  InvalidConsentError,
} from './store/errors.ts';
export * from './model/errors.ts';
export * from './embedding/errors.ts';
export * from './engine/errors.ts';
export { EmbedConfigError, UnknownCommandError } from './storefront/errors.ts';

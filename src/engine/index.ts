/** hafrec/engine: the clients of hafrec's workers and the storefront model registry. */
export { createEmbeddingClient } from './embedding-client.ts';
export { openEmbeddingCache } from './embedding-cache.ts';
export type { OpenEmbeddingCacheOptions } from './embedding-cache.ts';
export type { EmbeddingClient } from './embedding-client.ts';
export { HafrecWorkerClient } from './hafrec-client.ts';
export type { WorkerConfig, WorkerInfo } from './protocol.ts';
export { recommendFromHistory } from './recommend-service.ts';
export type { RecommendedItem, RecommendationReason, Recommendations } from './recommend-service.ts';
export type { DomainInsight, Explanation as InsightExplanation, InsightRecommender } from './insight.ts';
export { loadModel, buildModel, registerModelKind, modelKinds } from './model-registry.ts';
export type { ModelContext, ModelLoader, ModelKind, DatasetContext, DatasetBuilder } from './model-registry.ts';
export { MODEL_KINDS } from './model-kinds.ts';
export type { ModelKindInfo, ModelKindName } from './model-kinds.ts';
export { writeCooccurrenceFile } from './model-file.ts';
export type { CooccurrenceFile, PopularityFile, ModelFileBase } from './model-file.ts';
export type { ExplainingRecommender } from './explain.ts';
export { AssetFetchError, ModelFormatError, HafrecWorkerError, InvalidRequestError, WorkerStartError, CancelledError } from './errors.ts';

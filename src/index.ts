export type { Item, Catalog, Sequence, EvalCase, Dataset, Split } from './catalog/types.ts';
export type { FeatureTable, Modality } from './catalog/features.ts';
export type { Recommender, ScoreRequest, Recommendation } from './eval/recommender.ts';
export {
  CatalogError,
  DataFormatError,
  UnknownItemError,
  UnknownDomainError,
  ChecksumError,
  MissingFileError,
  DatasetFetchError,
} from './catalog/errors.ts';
export { createCatalog, domainItemsOf } from './catalog/catalog.ts';
export { parseCatalogJson } from './catalog/catalog-json.ts';
export { parseDataset, ITEM_COLUMNS } from './catalog/dataset-parse.ts';
export { parseDatasetManifest, DATASET_FILES, DATASET_FORMAT, DATASET_VERSION, DEFAULT_NEGATIVES, MANIFEST_FILE } from './catalog/dataset-manifest.ts';
export type { DatasetManifest, DatasetFile, DatasetTexts } from './catalog/dataset-manifest.ts';
export { readDataset, readDatasetCatalog, readManifest } from './catalog/dataset-read.ts';
export type { DatasetSource } from './catalog/dataset-read.ts';
export { fetchDataset } from './catalog/dataset-fetch.ts';
export { evaluate, ranksFromDomainScores } from './eval/evaluate.ts';
export type { EvalReport, EvaluateOptions, EvalProgress, MetricTable } from './eval/evaluate.ts';
export { METRIC_NAMES, rankAgainst, rankInList, metricsFromRanks, metricsByDomain, hitRate, ndcg, reciprocalRank } from './eval/metrics.ts';
export type { MetricName, MetricSet } from './eval/metrics.ts';
export { formatReport } from './eval/report-table.ts';
export { topK } from './eval/top-k.ts';
export { excludeHistory, maskHistory } from './eval/exclude-history.ts';
export { createBlend, standardize, DEFAULT_BLEND_WEIGHT, BLEND_TRANSFORMS } from './eval/blend.ts';
export type { BlendPart, BlendTransform } from './eval/blend.ts';
export { selectEnsemble, weightedScores } from './eval/ensemble-select.ts';
export type { EnsembleSelection, SelectionRound } from './eval/ensemble-select.ts';
export { countOccurrences, createPopularity } from './eval/baselines/popularity.ts';
export { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from './eval/baselines/cooccurrence.ts';
export type { CooccurrenceParams, TransitionTable } from './eval/baselines/cooccurrence.ts';
export { probeWebGpu } from './env/webgpu.ts';
export type { WebGpuInfo } from './env/webgpu.ts';
export { createLexicalEncoder, LEXICAL_VERSION } from './embedding/lexical-encoder.ts';
export type { LexicalEncoder, LexicalEncoderOptions } from './embedding/lexical-encoder.ts';
export { loadClipEmbedder, setDefaultOrtWasmPaths, CLIP_DTYPES } from './embedding/clip-embedder.ts';
export type { ClipEmbedder, ClipEmbedderOptions, ClipDtype, ImageInput, OrtWasmPaths } from './embedding/clip-embedder.ts';
export { DEVICES } from './embedding/devices.ts';
export type { Device } from './embedding/devices.ts';
export type { EmbeddingProgress, ResolvedDevice } from './embedding/progress.ts';
export { resolveModelSource } from './embedding/model-source.ts';
export type { ModelSource, ModelSourceOptions } from './embedding/model-source.ts';
export { embedCatalogFeatures } from './embedding/catalog-embedder.ts';
export type { CatalogEmbedOptions, CatalogEmbedResult } from './embedding/catalog-embedder.ts';
export { openEmbeddingCache, EMBEDDING_DB_NAME } from './embedding/embedding-cache.ts';
export type { EmbeddingCache, EmbeddingCacheOptions } from './embedding/embedding-cache.ts';
export { encodeFeatureFile, decodeFeatureFile, fetchFeatureFile, readFeatureFileHeader, catalogIdHash } from './embedding/feature-file.ts';
export type { FeatureFile, FeatureFileHeader } from './embedding/feature-file.ts';
export { QUANTIZATIONS } from './embedding/quantize.ts';
export type { Quantization } from './embedding/quantize.ts';
export { EmbeddingError, ModelFileError, EmbeddingOptionError, EmbeddingInputError, FeatureFileError, EmbeddingCacheError } from './embedding/errors.ts';
export { createEmbeddingClient } from './worker/embedding-client.ts';
export type { EmbeddingClient } from './worker/embedding-client.ts';
export type { WorkerLoadOptions } from './embedding/worker-protocol.ts';
export { openHistoryStore } from './store/history-store.ts';
export type { HistoryStore, HistoryStoreOptions, HistoryQuery, HistoryExport, TrackOutcome } from './store/history-store.ts';
export { EVENT_TYPES, validateEvent } from './store/event.ts';
export type { EventType, EventInput, EventProps, HistoryEvent } from './store/event.ts';
export { DEFAULT_RETENTION } from './store/retention.ts';
export type { RetentionPolicy } from './store/retention.ts';
export type { StoreChange } from './store/change-channel.ts';
export { DB_VERSION, DEFAULT_DB_NAME } from './store/schema.ts';
export type { HafrecDB } from './store/schema.ts';
export { openHafrecDb, deleteHafrecDb } from './store/open-db.ts';
export {
  StoreError,
  InvalidEventError,
  StorageFullError,
  StoreCorruptError,
  StoreBlockedError,
  StoreVersionError,
  StoreUnavailableError,
  InvalidConsentError,
} from './store/errors.ts';
export { HafrecWorkerClient } from './worker/hafrec-client.ts';
export type { WorkerConfig, WorkerInfo } from './worker/protocol.ts';
export { recommendFromHistory } from './worker/recommend-service.ts';
export type { RecommendedItem, RecommendationReason } from './worker/recommend-service.ts';
export { loadModel, registerModelKind, modelKinds } from './worker/model-registry.ts';
export type { ModelContext, ModelLoader } from './worker/model-registry.ts';
export { writeCooccurrenceFile } from './worker/model-file.ts';
export type { CooccurrenceFile, PopularityFile, ModelFileBase } from './worker/model-file.ts';
export type { ExplainingRecommender } from './worker/explain.ts';
export { AssetFetchError, ModelFormatError, HafrecWorkerError, InvalidRequestError, WorkerStartError, CancelledError } from './worker/errors.ts';
export { createHafModel } from './model/create.ts';
export type { CreateHafOptions } from './model/create.ts';
export { HafModel } from './model/model.ts';
export { HafRecommender } from './model/recommender.ts';
export type { Explanation, ExplainedRecommendation, ExplainedScores, HafRecommenderOptions } from './model/recommender.ts';
export { DEFAULT_CONFIG, resolveConfig } from './model/config.ts';
export type { HafConfig } from './model/config.ts';
export { train, trainStep, createOptimizer, DEFAULT_TRAIN, LR_SCHEDULES } from './model/trainer.ts';
export { averageInto } from './model/average.ts';
export type { TrainOptions, TrainProgress, TrainResult, TrainData, LrSchedule } from './model/trainer.ts';
export { saveHaf, loadHaf } from './model/weights-io.ts';
export type { SaveOptions } from './model/weights-io.ts';
export { buildManifest, parseManifest, checkCompatible, catalogFingerprint } from './model/manifest.ts';
export type { HafManifest, CatalogFingerprint, FeatureSpec } from './model/manifest.ts';
export { selectBackend, chooseBackend, timeModelProbe, REAL_GPU_MARGIN, BACKENDS } from './model/backend.ts';
export { trimWebGpuBuffers, IDLE_BUFFER_BUDGET_BYTES } from './model/webgpu-memory.ts';
export type { BackendName, BackendChoice, BackendOptions } from './model/backend.ts';
export { createResilientRecommender, activeWebGpuDevice, FALLBACK_BACKENDS } from './model/device-loss.ts';
export type { ResilientOptions, ResilientRecommender } from './model/device-loss.ts';
export { ModelError, CatalogMismatchError, FeatureMismatchError, WeightsFormatError, BackendUnavailableError, DeviceLostError, ConfigError } from './model/errors.ts';
export { HafrecError, errorCode } from './errors/hafrec-error.ts';
export { RemoteError, toWire, fromWire, type WireError, type ErrorClasses } from './errors/wire.ts';

/** hafrec/catalog: items, catalogs and dataset folders in the browser (Node loaders: hafrec/node). */
export type { Item, Catalog, Sequence, EvalCase, Dataset, Split } from './types.ts';
export type { FeatureTable, Modality } from './features.ts';
export { CatalogError, DataFormatError, UnknownItemError, UnknownDomainError, ChecksumError, MissingFileError, DatasetFetchError } from './errors.ts';
export { createCatalog } from './catalog.ts';
export { parseCatalogJson } from './catalog-json.ts';
export { parseDataset } from './dataset-parse.ts';
export { parseDatasetManifest, DEFAULT_NEGATIVES } from './dataset-manifest.ts';
export type { DatasetManifest, DatasetFile, DatasetTexts } from './dataset-manifest.ts';
export { readDataset, readDatasetCatalog } from './dataset-read.ts';
export type { DatasetSource } from './dataset-read.ts';
export { fetchDataset } from './dataset-fetch.ts';
export { catalogFingerprint, itemsHash, ID_FIELDS, TEXT_FIELDS } from './fingerprint.ts';
export type { CatalogFingerprint, FingerprintField } from './fingerprint.ts';
export { DATASET_FILES } from './dataset-manifest.ts';
export { MODALITIES } from './features.ts';
export { SPLITS } from './types.ts';
export type { TrainingData } from './types.ts';

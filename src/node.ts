/**
 * hafrec/node: what runs in Node only: dataset folders read from disk, tfjs backends and
 * weight files on disk, and the bundle a shop serves (`npm run bundle` is a thin CLI on it).
 */
export { loadDataset, loadDatasetCatalog, FOOD_KITCHEN_DIR } from './catalog/dataset-load.ts';
export { selectNodeBackend, fileHandler } from './model/node.ts';
export { writeBundle, BLEND_GRID } from './bundle/bundle-write.ts';
export type { BundleOptions, BundleSummary } from './bundle/bundle-write.ts';
export { loadBundle } from './bundle/bundle-load.ts';
export type { LoadedBundle } from './bundle/bundle-load.ts';

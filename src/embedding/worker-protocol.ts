/** What a page asks the embedding worker (src/engine/embedding-*.ts); src/engine/rpc.ts carries it. */
import type { Item } from '../catalog/types.ts';
import type { Modality } from '../catalog/features.ts';
import type { CatalogEmbedResult } from './catalog-embedder.ts';
import type { ClipEmbedderOptions, ImageInput } from './clip-embedder.ts';
import type { ResolvedDevice } from './progress.ts';
import type { Quantization } from './quantize.ts';

export interface WorkerLoadOptions extends Omit<ClipEmbedderOptions, 'onProgress'> {
  /** IndexedDB database of the embedding cache (default 'hafrec-embeddings'); null disables the cache. */
  readonly cacheName?: string | null;
  readonly cacheQuantization?: Quantization;
  /** Load the model now (default) or only when an item misses the cache. */
  readonly eager?: boolean;
}

export interface LoadedInfo {
  readonly model: string;
  /** Undefined while the model is not loaded (lazy load, everything cached so far). */
  readonly device?: ResolvedDevice;
  readonly dim?: number;
}

export interface CacheInfo {
  readonly count: number;
  readonly payloadBytes: number;
}

export type WorkerRequest =
  | { readonly kind: 'load'; readonly options: WorkerLoadOptions }
  | { readonly kind: 'embedCatalog'; readonly name: string; readonly items: readonly Item[]; readonly modalities?: readonly Modality[] }
  | { readonly kind: 'embedTexts'; readonly texts: readonly string[] }
  | { readonly kind: 'embedImages'; readonly images: readonly ImageInput[] }
  | { readonly kind: 'cacheInfo' }
  | { readonly kind: 'clearCache' }
  | { readonly kind: 'reset' };

export interface WorkerResults {
  load: LoadedInfo;
  embedCatalog: CatalogEmbedResult;
  embedTexts: Float32Array[];
  embedImages: Float32Array[];
  cacheInfo: CacheInfo;
  clearCache: undefined;
  reset: undefined;
}

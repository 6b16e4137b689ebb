import type { WireError } from '../errors/wire.ts';
/** Messages between the embedding worker and its client (src/worker/embedding-*.ts). */
import type { Item } from '../catalog/types.ts';
import type { Modality } from '../catalog/features.ts';
import type { CatalogEmbedResult } from './catalog-embedder.ts';
import type { ClipEmbedderOptions, ImageInput } from './clip-embedder.ts';
import type { EmbeddingProgress, ResolvedDevice } from './progress.ts';
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
  | { readonly id: number; readonly kind: 'load'; readonly options: WorkerLoadOptions }
  | { readonly id: number; readonly kind: 'embedCatalog'; readonly name: string; readonly items: readonly Item[]; readonly modalities?: readonly Modality[] }
  | { readonly id: number; readonly kind: 'embedTexts'; readonly texts: readonly string[] }
  | { readonly id: number; readonly kind: 'embedImages'; readonly images: readonly ImageInput[] }
  | { readonly id: number; readonly kind: 'cacheInfo' }
  | { readonly id: number; readonly kind: 'clearCache' }
  | { readonly id: number; readonly kind: 'reset' };

export interface WorkerResults {
  load: LoadedInfo;
  embedCatalog: CatalogEmbedResult;
  embedTexts: Float32Array[];
  embedImages: Float32Array[];
  cacheInfo: CacheInfo;
  clearCache: null;
  reset: null;
}

export type WorkerResponse =
  | { readonly id: number; readonly kind: 'progress'; readonly event: EmbeddingProgress }
  | { readonly id: number; readonly kind: 'result'; readonly value: unknown }
  | { readonly id: number; readonly kind: 'error'; readonly error: WireError };

/**
 * What a page tells the engine when it loads CLIP for its own embedding requests, and what it
 * hears back (src/engine/embedding/embedding-protocol.ts carries them; src/engine/embedding-client.ts sends them).
 */
import type { ClipEmbedderOptions } from './clip-embedder.ts';
import type { ResolvedDevice } from './progress.ts';
import type { Quantization } from './quantize.ts';

/** Named for the worker that runs the model (the engine worker now); the name is public API. */
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

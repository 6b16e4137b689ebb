/**
 * The embedding cache as the workers use it: src/embedding's encoding over src/store's
 * database. Wired here because the worker is the one layer that may see both.
 */
import { cacheQuantization, createEmbeddingCache, type EmbeddingCache } from '../embedding/embedding-cache.ts';
import type { Quantization } from '../embedding/quantize.ts';
import { openEmbeddingStore } from '../store/embedding-store.ts';

export interface OpenEmbeddingCacheOptions {
  /** IndexedDB database name (default "hafrec-embeddings"). */
  readonly name?: string;
  /** How new vectors are written (default fp16). */
  readonly quantization?: Quantization;
}

/** Opens the cache; a wrong quantization fails before any database is opened. */
export async function openEmbeddingCache(options: OpenEmbeddingCacheOptions = {}): Promise<EmbeddingCache> {
  const quantization = cacheQuantization(options.quantization);
  const records = await openEmbeddingStore(options.name === undefined ? {} : { name: options.name });
  return createEmbeddingCache(records, { quantization });
}

/**
 * Typed client of CLIP in the one engine worker: every call returns a promise, progress arrives
 * through the per-call callback, and errors come back as the same typed errors, with their
 * fields, that the worker threw. The requests are the engine's embedding requests
 * (embedding/embedding-protocol.ts), sent over the engine's one client and connection.
 */
import type { Item } from '../catalog/types.ts';
import type { Modality } from '../catalog/features.ts';
import type { ImageInput } from '../embedding/clip-embedder.ts';
import type { CacheInfo, LoadedInfo, WorkerLoadOptions } from '../embedding/load-options.ts';
import type { ProgressCallback } from '../embedding/progress.ts';
import type { EmbeddingResults } from './embedding/embedding-protocol.ts';
import { HafrecWorkerClient } from './hafrec-client.ts';
import { startEngine } from './start-engine.ts';

export interface EmbeddingClient {
  load(options: WorkerLoadOptions, onProgress?: ProgressCallback): Promise<LoadedInfo>;
  embedCatalog(
    name: string,
    items: readonly Item[],
    modalities?: readonly Modality[],
    onProgress?: ProgressCallback,
  ): Promise<EmbeddingResults['embedCatalog']>;
  embedTexts(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array[]>;
  embedImages(images: readonly ImageInput[], onProgress?: ProgressCallback): Promise<Float32Array[]>;
  cacheInfo(): Promise<CacheInfo>;
  clearCache(): Promise<void>;
  /** Disposes the model and closes the cache, as if the page were reloaded. */
  reset(): Promise<void>;
  /** Stops the engine worker this client started; an engine passed in keeps running, its CLIP model disposed. */
  terminate(): void;
}

/** Resolves page-relative model and image URLs against the page (the worker's base is its script URL). */
function absolute(url: string): string {
  return /^(\/|\.\.?\/)/.test(url) ? new URL(url, document.baseURI).href : url;
}

const imageUrls = (images: readonly ImageInput[]): ImageInput[] => images.map((x) => (x instanceof URL ? x.href : typeof x === 'string' ? absolute(x) : x));

/** A started engine worker (hafrec-worker.ts), wrapped in the engine's one client. */
function engineOf(worker: Worker): HafrecWorkerClient {
  return new HafrecWorkerClient(() => worker, undefined, 'dedicated', 'hafrec-embedding');
}

/** The client of `engine`, and whether this embedding client started it (so terminating ends it). */
function clientOf(engine: HafrecWorkerClient | Worker | undefined): { client: HafrecWorkerClient; owned: boolean } {
  if (engine instanceof HafrecWorkerClient) return { client: engine, owned: false };
  return { client: engine ? engineOf(engine) : startEngine(undefined, { name: 'hafrec-embedding' }), owned: true };
}

/**
 * `engine`: the page's engine client (the demo's), so CLIP runs beside its other requests on
 * one connection; or an engine worker the caller started; by default a dedicated engine worker
 * of its own. The engine loads transformers.js on the first request that needs the model.
 */
export function createEmbeddingClient(engine?: HafrecWorkerClient | Worker): EmbeddingClient {
  const { client, owned } = clientOf(engine);
  return {
    load: (options, onProgress) => client.call({ kind: 'loadClip', options: { ...options, model: absolute(options.model) } }, onProgress ? { onProgress } : {}),
    embedCatalog: (name, items, modalities, onProgress) => {
      const request = { kind: 'embedCatalog', name, items: items.map((it) => (it.image ? { ...it, image: absolute(it.image) } : it)), ...(modalities ? { modalities } : {}) } as const;
      return client.call(request, onProgress ? { onProgress } : {});
    },
    embedTexts: (texts, onProgress) => client.call({ kind: 'embedTexts', texts }, onProgress ? { onProgress } : {}),
    embedImages: (images, onProgress) => client.call({ kind: 'embedImages', images: imageUrls(images) }, onProgress ? { onProgress } : {}),
    cacheInfo: () => client.call({ kind: 'embeddingCacheInfo' }),
    clearCache: () => client.call({ kind: 'clearEmbeddingCache' }),
    reset: () => client.call({ kind: 'resetEmbedding' }),
    terminate: () => (owned ? client.terminate() : void client.call({ kind: 'resetEmbedding' }).catch(() => undefined)),
  };
}

/**
 * Typed client of the embedding worker: every call returns a promise, progress arrives through
 * the per-call callback, and errors come back as the same typed errors, with their fields, that the worker threw.
 */
import type { Item } from '../catalog/types.ts';
import type { Modality } from '../catalog/features.ts';
import { EmbeddingError } from '../embedding/errors.ts';
import type { ImageInput } from '../embedding/clip-embedder.ts';
import type { EmbeddingProgress, ProgressCallback } from '../embedding/progress.ts';
import type { WorkerLoadOptions, WorkerRequest, WorkerResults } from '../embedding/worker-protocol.ts';
import { connectWorker } from './worker-connection.ts';

export interface EmbeddingClient {
  load(options: WorkerLoadOptions, onProgress?: ProgressCallback): Promise<WorkerResults['load']>;
  embedCatalog(
    name: string,
    items: readonly Item[],
    modalities?: readonly Modality[],
    onProgress?: ProgressCallback,
  ): Promise<WorkerResults['embedCatalog']>;
  embedTexts(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array[]>;
  embedImages(images: readonly ImageInput[], onProgress?: ProgressCallback): Promise<Float32Array[]>;
  cacheInfo(): Promise<WorkerResults['cacheInfo']>;
  clearCache(): Promise<void>;
  /** Disposes the model and closes the cache, as if the page were reloaded. */
  reset(): Promise<void>;
  terminate(): void;
}

/** Resolves page-relative model and image URLs against the page (the worker's base is its script URL). */
function absolute(url: string): string {
  return /^(\/|\.\.?\/)/.test(url) ? new URL(url, document.baseURI).href : url;
}

export function createEmbeddingClient(
  worker: Worker = new Worker(new URL('./embedding-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-embedding' }),
): EmbeddingClient {
  const { rpc, close } = connectWorker<WorkerRequest, WorkerResults, EmbeddingProgress>(worker, (detail) => new EmbeddingError(`embedding worker failed: ${detail}`));
  const send = <K extends WorkerRequest['kind']>(request: Extract<WorkerRequest, { kind: K }>, onProgress?: ProgressCallback): Promise<WorkerResults[K]> =>
    rpc.call(request, onProgress ? { onProgress } : {});
  return {
    load: (options, onProgress) => send({ kind: 'load', options: { ...options, model: absolute(options.model) } }, onProgress),
    embedCatalog: (name, items, modalities, onProgress) =>
      send(
        {
          kind: 'embedCatalog',
          name,
          items: items.map((it) => (it.image ? { ...it, image: absolute(it.image) } : it)),
          ...(modalities ? { modalities } : {}),
        },
        onProgress,
      ),
    embedTexts: (texts, onProgress) => send({ kind: 'embedTexts', texts }, onProgress),
    embedImages: (images, onProgress) =>
      send({ kind: 'embedImages', images: images.map((x) => (x instanceof URL ? x.href : typeof x === 'string' ? absolute(x) : x)) }, onProgress),
    cacheInfo: () => send({ kind: 'cacheInfo' }),
    clearCache: () => send({ kind: 'clearCache' }),
    reset: () => send({ kind: 'reset' }),
    terminate: () => {
      close();
      rpc.failAll(new EmbeddingError('embedding worker terminated'));
    },
  };
}

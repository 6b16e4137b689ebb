/**
 * Typed client of the embedding worker: every call returns a promise, progress arrives through
 * the per-call callback, and errors come back as the same typed errors, with their fields, that the worker threw.
 */
import type { Item } from '../catalog/types.ts';
import type { Modality } from '../catalog/features.ts';
import { EmbeddingError } from '../embedding/errors.ts';
import { fromWire } from '../errors/wire.ts';
import { ERROR_CLASSES } from './error-classes.ts';
import type { ImageInput } from '../embedding/clip-embedder.ts';
import type { ProgressCallback } from '../embedding/progress.ts';
import type { WorkerLoadOptions, WorkerRequest, WorkerResponse, WorkerResults } from '../embedding/worker-protocol.ts';

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

type Body = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export function createEmbeddingClient(
  worker: Worker = new Worker(new URL('./embedding-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-embedding' }),
): EmbeddingClient {
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; onProgress?: ProgressCallback }>();
  worker.onmessage = ({ data }: MessageEvent<WorkerResponse>) => {
    const call = pending.get(data.id);
    if (!call) return;
    if (data.kind === 'progress') return call.onProgress?.(data.event);
    pending.delete(data.id);
    if (data.kind === 'result') call.resolve(data.value);
    else call.reject(fromWire(data.error, ERROR_CLASSES));
  };
  worker.onerror = (event) => {
    const error = new EmbeddingError(`embedding worker failed: ${event.message}`);
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  const send = <T>(body: Body, onProgress?: ProgressCallback): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
      worker.postMessage({ ...body, id });
    });
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
      worker.terminate();
      for (const call of pending.values()) call.reject(new EmbeddingError('embedding worker terminated'));
      pending.clear();
    },
  };
}

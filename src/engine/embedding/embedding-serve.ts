/**
 * The engine's embedding requests (a lazy chunk of the engine worker, loaded on the first of
 * them, as the workbench's is): CLIP by hub id or folder URL, texts, images and whole catalogs
 * through the embedding cache. transformers.js (../clip-import.ts, the chunk the tag's CLIP
 * bundles use too) is imported by `loadClip`, even a lazy one that defers the model itself to
 * the first cache miss, so that miss needs no code from the network. Browser caches are left
 * as transformers.js sets them: a shop's CLIP path may have turned its model cache off (no
 * consent), which only costs these requests a download.
 */
import { createCatalog } from '../../catalog/catalog.ts';
import { embedCatalogFeatures } from '../../embedding/catalog-embedder.ts';
import type { ClipEmbedder } from '../../embedding/clip-embedder.ts';
import { isNodeRuntime } from '../../embedding/devices.ts';
import type { EmbeddingCache } from '../../embedding/embedding-cache.ts';
import { EmbeddingOptionError } from '../../embedding/errors.ts';
import type { WorkerLoadOptions } from '../../embedding/load-options.ts';
import { resolveModelSource } from '../../embedding/model-source.ts';
import type { EmbeddingProgress, ProgressCallback } from '../../embedding/progress.ts';
import { importClip } from '../clip-import.ts';
import { openEmbeddingCache } from '../embedding-cache.ts';
import type { RpcJob } from '../rpc.ts';
import type { EmbeddingRequest, EmbeddingResults } from './embedding-protocol.ts';

interface Loaded {
  readonly options: WorkerLoadOptions;
  readonly model: string;
  embedder?: Promise<ClipEmbedder>;
  cache?: Promise<EmbeddingCache | undefined>;
}

type Value = EmbeddingResults[EmbeddingRequest['kind']];
type Answer = { readonly value: Value; readonly transfer?: Transferable[] };

const buffersOf = (vectors: readonly Float32Array[]): Transferable[] => vectors.map((v) => v.buffer as ArrayBuffer);
const vectorsAnswer = (vectors: Float32Array[]): Answer => ({ value: vectors, transfer: buffersOf(vectors) });

/** Where a leading "/" or "./" of a model resolves: the worker's origin in a browser, the filesystem in Node. */
function modelId(options: WorkerLoadOptions): string {
  const base = (globalThis as { location?: { readonly href: string } }).location?.href;
  return resolveModelSource(options, !isNodeRuntime(), base).id;
}

/** One connection's CLIP model and embedding cache (its page's `loadClip` options); serves its requests one at a time, in arrival order. */
export class EmbeddingService {
  private state: Loaded | undefined;
  /** The progress callback of the job running now: a lazy load reports to the job that needed the model. */
  private current: ProgressCallback = () => undefined;
  private queue: Promise<unknown> = Promise.resolve();

  serve(request: EmbeddingRequest, job: RpcJob<EmbeddingProgress>): Promise<Value> {
    const next = this.queue.then(() => this.run(request, job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(request: EmbeddingRequest, job: RpcJob<EmbeddingProgress>): Promise<Value> {
    this.current = job.progress;
    try {
      const { value, transfer } = await this.handle(request);
      if (transfer) job.transfer(transfer);
      return value;
    } finally {
      this.current = () => undefined;
    }
  }

  private async handle(request: EmbeddingRequest): Promise<Answer> {
    const progress: ProgressCallback = (e) => this.current(e);
    switch (request.kind) {
      case 'loadClip':
        return { value: await this.load(request.options) };
      case 'embedCatalog':
        return this.embedCatalog(request);
      case 'embedTexts':
        return vectorsAnswer(await (await this.embedder(this.ready())).embedTexts(request.texts, progress));
      case 'embedImages':
        return vectorsAnswer(await (await this.embedder(this.ready())).embedImages(request.images, progress));
      case 'embeddingCacheInfo': {
        const c = await this.cache(this.ready());
        return { value: c ? { count: await c.count(), payloadBytes: await c.payloadBytes() } : { count: 0, payloadBytes: 0 } };
      }
      case 'clearEmbeddingCache':
        await (await this.cache(this.ready()))?.clear();
        return { value: undefined };
      case 'resetEmbedding':
        await this.reset();
        return { value: undefined };
    }
  }

  private async load(options: WorkerLoadOptions): Promise<EmbeddingResults['loadClip']> {
    await this.reset();
    const s: Loaded = { options, model: modelId(options) };
    this.state = s;
    await this.cache(s);
    if (options.eager === false) {
      // The code now, the model on the first cache miss: a page that goes offline after this
      // still embeds a new item, its model files coming from the browser's cache.
      await importClip();
      return { model: s.model };
    }
    const clip = await this.embedder(s);
    return { model: s.model, device: clip.device, dim: clip.dim };
  }

  private async embedCatalog(request: Extract<EmbeddingRequest, { kind: 'embedCatalog' }>): Promise<Answer> {
    const s = this.ready();
    const cache = await this.cache(s);
    const result = await embedCatalogFeatures(createCatalog(request.name, request.items), {
      model: s.model,
      embedder: () => this.embedder(s),
      ...(cache ? { cache } : {}),
      ...(request.modalities ? { modalities: request.modalities } : {}),
      onProgress: (e) => this.current(e),
    });
    return { value: result, transfer: result.tables.flatMap((t) => [t.vectors.buffer as ArrayBuffer, t.present.buffer as ArrayBuffer]) };
  }

  private ready(): Loaded {
    if (!this.state) throw new EmbeddingOptionError('request', 'before loadClip', 'send "loadClip" with model options first');
    return this.state;
  }

  private embedder(s: Loaded): Promise<ClipEmbedder> {
    s.embedder ??= importClip().then(({ loadClipEmbedder }) => loadClipEmbedder({ ...s.options, onProgress: (e) => this.current(e) }));
    s.embedder.catch(() => (s.embedder = undefined));
    return s.embedder;
  }

  private cache(s: Loaded): Promise<EmbeddingCache | undefined> {
    const { cacheName, cacheQuantization } = s.options;
    if (cacheName === null) return Promise.resolve(undefined);
    return (s.cache ??= openEmbeddingCache({ ...(cacheName ? { name: cacheName } : {}), ...(cacheQuantization ? { quantization: cacheQuantization } : {}) }));
  }

  /** Disposes the model and closes the cache, as a reload of the page would. */
  private async reset(): Promise<void> {
    const old = this.state;
    this.state = undefined;
    if (!old) return;
    (await old.cache?.catch(() => undefined))?.close();
    await (await old.embedder?.catch(() => undefined))?.dispose();
  }
}

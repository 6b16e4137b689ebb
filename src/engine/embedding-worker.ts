/**
 * Dedicated worker that owns CLIP (transformers.js) and the embedding cache, so a catalog embeds
 * without blocking the page. One request at a time per kind is the client's business; requests
 * are served in arrival order.
 */
import '../embedding/ort-assets.ts';
import { createCatalog } from '../catalog/catalog.ts';
import { embedCatalogFeatures } from '../embedding/catalog-embedder.ts';
import { loadClipEmbedder, type ClipEmbedder } from '../embedding/clip-embedder.ts';
import type { EmbeddingCache } from '../embedding/embedding-cache.ts';
import { openEmbeddingCache } from './embedding-cache.ts';
import { EmbeddingOptionError } from '../embedding/errors.ts';
import { resolveModelSource } from '../embedding/model-source.ts';
import type { ProgressCallback } from '../embedding/progress.ts';
import type { EmbeddingProgress } from '../embedding/progress.ts';
import type { WorkerLoadOptions, WorkerRequest, WorkerResults } from '../embedding/worker-protocol.ts';
import { serveRpc, type RpcCall, type RpcJob } from './rpc.ts';

interface State {
  options: WorkerLoadOptions;
  model: string;
  embedder?: Promise<ClipEmbedder>;
  cache?: Promise<EmbeddingCache | undefined>;
}

let state: State | undefined;
/** The progress callback of the job running now (jobs run one at a time). */
let current: ProgressCallback = () => undefined;

function ready(): State {
  if (!state) throw new EmbeddingOptionError('request', 'before load', 'send "load" with model options first');
  return state;
}

function embedder(s: State): Promise<ClipEmbedder> {
  s.embedder ??= loadClipEmbedder({ ...s.options, onProgress: (e) => current(e) });
  s.embedder.catch(() => (s.embedder = undefined));
  return s.embedder;
}

function cache(s: State): Promise<EmbeddingCache | undefined> {
  if (s.options.cacheName === null) return Promise.resolve(undefined);
  return (s.cache ??= openEmbeddingCache({
    ...(s.options.cacheName ? { name: s.options.cacheName } : {}),
    ...(s.options.cacheQuantization ? { quantization: s.options.cacheQuantization } : {}),
  }));
}

async function reset(): Promise<void> {
  const old = state;
  state = undefined;
  if (!old) return;
  (await old.cache?.catch(() => undefined))?.close();
  await (await old.embedder?.catch(() => undefined))?.dispose();
}

const buffersOf = (vectors: readonly Float32Array[]): Transferable[] => vectors.map((v) => v.buffer as ArrayBuffer);

type Answer = { value: WorkerResults[WorkerRequest['kind']]; transfer?: Transferable[] };

async function handle(request: WorkerRequest): Promise<Answer> {
  switch (request.kind) {
    case 'load': {
      await reset();
      const model = resolveModelSource(request.options, true, self.location.href).id;
      state = { options: request.options, model };
      await cache(state);
      if (request.options.eager === false) return { value: { model } };
      const clip = await embedder(state);
      return { value: { model, device: clip.device, dim: clip.dim } };
    }
    case 'embedCatalog': {
      const s = ready();
      const catalog = createCatalog(request.name, request.items);
      const c = await cache(s);
      const result = await embedCatalogFeatures(catalog, {
        model: s.model,
        embedder: () => embedder(s),
        ...(c ? { cache: c } : {}),
        ...(request.modalities ? { modalities: request.modalities } : {}),
        onProgress: (e) => current(e),
      });
      return { value: result, transfer: result.tables.flatMap((t) => [t.vectors.buffer as ArrayBuffer, t.present.buffer as ArrayBuffer]) };
    }
    case 'embedTexts': {
      const vectors = await (await embedder(ready())).embedTexts(request.texts, (e) => current(e));
      return { value: vectors, transfer: buffersOf(vectors) };
    }
    case 'embedImages': {
      const vectors = await (await embedder(ready())).embedImages(request.images, (e) => current(e));
      return { value: vectors, transfer: buffersOf(vectors) };
    }
    case 'cacheInfo': {
      const c = await cache(ready());
      return { value: c ? { count: await c.count(), payloadBytes: await c.payloadBytes() } : { count: 0, payloadBytes: 0 } };
    }
    case 'clearCache': {
      await (await cache(ready()))?.clear();
      return { value: undefined };
    }
    case 'reset':
      await reset();
      return { value: undefined };
  }
}

async function serve(request: WorkerRequest, job: RpcJob<EmbeddingProgress>): Promise<Answer['value']> {
  current = job.progress;
  try {
    const { value, transfer } = await handle(request);
    if (transfer) job.transfer(transfer);
    return value;
  } finally {
    current = () => undefined;
  }
}

const onCall = serveRpc<WorkerRequest, EmbeddingProgress>(self, serve, { serial: true });
self.onmessage = (message: MessageEvent<RpcCall<WorkerRequest>>) => onCall(message.data);

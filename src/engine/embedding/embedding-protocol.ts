import type { Item } from '../../catalog/types.ts';
import type { Modality } from '../../catalog/features.ts';
import type { CatalogEmbedResult } from '../../embedding/catalog-embedder.ts';
import type { ImageInput } from '../../embedding/clip-embedder.ts';
import type { CacheInfo, LoadedInfo, WorkerLoadOptions } from '../../embedding/load-options.ts';

/**
 * The engine's embedding requests: what a page asks the one engine worker to embed with CLIP
 * (src/engine/embedding-client.ts sends them), beside the storefront's and the workbench's
 * requests in ../protocol.ts. The worker loads their code, transformers.js with it, on the
 * first of them (embedding-serve.ts), so a shop's worker never downloads it for them. They
 * stream the embedding layer's progress (src/embedding/progress.ts).
 */
export type EmbeddingRequest =
  | { readonly kind: 'loadClip'; readonly options: WorkerLoadOptions }
  | { readonly kind: 'embedCatalog'; readonly name: string; readonly items: readonly Item[]; readonly modalities?: readonly Modality[] }
  | { readonly kind: 'embedTexts'; readonly texts: readonly string[] }
  | { readonly kind: 'embedImages'; readonly images: readonly ImageInput[] }
  | { readonly kind: 'embeddingCacheInfo' }
  | { readonly kind: 'clearEmbeddingCache' }
  | { readonly kind: 'resetEmbedding' };

export interface EmbeddingResults {
  loadClip: LoadedInfo;
  embedCatalog: CatalogEmbedResult;
  embedTexts: Float32Array[];
  embedImages: Float32Array[];
  embeddingCacheInfo: CacheInfo;
  clearEmbeddingCache: undefined;
  resetEmbedding: undefined;
}

/** Every embedding request's kind (the compiler checks none is missing): how the engine routes them before loading their chunk. */
const KINDS: Readonly<Record<EmbeddingRequest['kind'], true>> = {
  loadClip: true,
  embedCatalog: true,
  embedTexts: true,
  embedImages: true,
  embeddingCacheInfo: true,
  clearEmbeddingCache: true,
  resetEmbedding: true,
};

export const isEmbeddingRequest = (request: { readonly kind: string }): request is EmbeddingRequest => Object.hasOwn(KINDS, request.kind);

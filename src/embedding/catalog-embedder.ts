/**
 * Embeds a catalog's titles and images into FeatureTables, through the cache: only items whose
 * (model, modality, content hash) is not cached reach the model, and the model is loaded only
 * when something misses. Items without a title or image are absent (present = 0), never zero.
 */
import type { Catalog, Item } from '../catalog/types.ts';
import type { FeatureTable, Modality } from '../catalog/features.ts';
import type { ClipEmbedder, ImageInput } from './clip-embedder.ts';
import { hashImage, hashText } from './content-hash.ts';
import type { EmbeddingCache } from './embedding-cache.ts';
import type { ProgressCallback } from './progress.ts';

export interface CatalogEmbedOptions {
  /** Model id + revision (the cache key), known before loading, e.g. from resolveModelSource. */
  readonly model: string;
  /** Loads (or returns) the embedder; called at most once, and only on a cache miss. */
  readonly embedder: () => Promise<ClipEmbedder>;
  readonly cache?: EmbeddingCache;
  readonly modalities?: readonly Modality[];
  /** Maps an item's image string to what the embedder reads (e.g. resolve relative URLs). */
  readonly imageOf?: (item: Item) => ImageInput | undefined;
  readonly onProgress?: ProgressCallback;
}

export interface ModalityStats {
  readonly hits: number;
  readonly misses: number;
  readonly absent: number;
}

export interface CatalogEmbedResult {
  readonly tables: readonly FeatureTable[];
  /** Per requested modality. */
  readonly stats: Readonly<Partial<Record<Modality, ModalityStats>>>;
  /** Model invocations (batches) this call made, per modality: 0 on a fully cached visit. */
  readonly runs: Readonly<Record<Modality, number>>;
  /** Cache writes that failed (e.g. quota): the vectors are still returned, just not kept. */
  readonly cacheWriteErrors: number;
  readonly ms: number;
}

/** What CLIP embeds of `item` in `modality` (its title, or its image through `imageOf`); undefined when it has none. */
export function inputOf(item: Item, modality: Modality, imageOf: CatalogEmbedOptions['imageOf']): string | ImageInput | undefined {
  if (modality === 'text') return item.title?.trim() ? item.title : undefined;
  return imageOf ? imageOf(item) : item.image?.trim() ? item.image : undefined;
}

interface ModalityResult {
  readonly modality: Modality;
  readonly indices: number[];
  readonly vectors: (Float32Array | undefined)[];
  readonly stats: ModalityStats;
  readonly cacheWriteErrors: number;
}

/** Lazily loads the embedder once and remembers its run counters at first use. */
function lazyEmbedder(load: () => Promise<ClipEmbedder>) {
  let loaded: Promise<ClipEmbedder> | undefined;
  let before: { text: number; image: number } | undefined;
  return {
    get: async (): Promise<ClipEmbedder> => {
      const clip = await (loaded ??= load());
      before ??= { ...clip.runs };
      return clip;
    },
    async runsSince(): Promise<Record<Modality, number>> {
      if (!loaded || !before) return { text: 0, image: 0 };
      const now = (await loaded).runs;
      return { text: now.text - before.text, image: now.image - before.image };
    },
  };
}

async function embedModality(
  catalog: Catalog,
  modality: Modality,
  options: CatalogEmbedOptions,
  clip: () => Promise<ClipEmbedder>,
): Promise<ModalityResult> {
  const indices: number[] = [];
  const inputs: (string | ImageInput)[] = [];
  catalog.items.forEach((item, p) => {
    const input = inputOf(item, modality, options.imageOf);
    if (input !== undefined) {
      indices.push(p + 1);
      inputs.push(input);
    }
  });
  const hashes = await Promise.all(inputs.map((x) => (modality === 'text' ? hashText(x as string) : hashImage(x as ImageInput))));
  const vectors: (Float32Array | undefined)[] = options.cache
    ? await options.cache.getMany(options.model, modality, hashes)
    : inputs.map(() => undefined);
  const missing = vectors.flatMap((v, k) => (v ? [] : [k]));
  options.onProgress?.({ status: 'cache', modality, hits: inputs.length - missing.length, misses: missing.length });
  let cacheWriteErrors = 0;
  if (missing.length > 0) {
    const model = await clip();
    const fresh =
      modality === 'text'
        ? await model.embedTexts(missing.map((k) => inputs[k] as string), options.onProgress)
        : await model.embedImages(missing.map((k) => inputs[k] as ImageInput), options.onProgress);
    missing.forEach((k, j) => (vectors[k] = fresh[j]));
    try {
      await options.cache?.putMany(options.model, modality, missing.map((k, j) => ({ hash: hashes[k]!, vector: fresh[j]! })));
    } catch {
      cacheWriteErrors = missing.length;
    }
  }
  const stats = { hits: inputs.length - missing.length, misses: missing.length, absent: catalog.size - inputs.length };
  return { modality, indices, vectors, stats, cacheWriteErrors };
}

export async function embedCatalogFeatures(catalog: Catalog, options: CatalogEmbedOptions): Promise<CatalogEmbedResult> {
  const started = performance.now();
  const clip = lazyEmbedder(options.embedder);
  const results: ModalityResult[] = [];
  for (const modality of options.modalities ?? (['text', 'image'] as const)) {
    results.push(await embedModality(catalog, modality, options, clip.get));
  }
  // CLIP's towers share one projection size; only a catalog with no inputs at all needs the model for it.
  const known = results.flatMap((r) => r.vectors).find((v) => v !== undefined);
  const dim = known?.length ?? (await clip.get()).dim;
  return {
    tables: results.map((r) => fillTable(catalog.size, r.modality, options.model, dim, r.indices, r.vectors)),
    stats: Object.fromEntries(results.map((r) => [r.modality, r.stats])),
    runs: await clip.runsSince(),
    cacheWriteErrors: results.reduce((n, r) => n + r.cacheWriteErrors, 0),
    ms: performance.now() - started,
  };
}

function fillTable(
  size: number,
  modality: Modality,
  encoder: string,
  dim: number,
  indices: readonly number[],
  vectors: readonly (Float32Array | undefined)[],
): FeatureTable {
  const out = new Float32Array((size + 1) * dim);
  const present = new Uint8Array(size + 1);
  indices.forEach((index, k) => {
    const v = vectors[k];
    if (!v || v.length !== dim) return;
    out.set(v, index * dim);
    present[index] = 1;
  });
  return { modality, encoder, dim, vectors: out, present };
}

/**
 * The lazy CLIP path of a `haf` bundle (its own chunk): embeds the catalog items the bundle has
 * no vector for, through the embedding cache (IndexedDB `hafrec-embeddings`, keyed by checkpoint,
 * modality and content hash). transformers.js (clip-load.ts) is imported only on a cache miss:
 * a revisit whose new items are all cached runs CLIP 0 times and downloads none of it.
 */
import type { FeatureTable } from '../catalog/features.ts';
import { createCatalog } from '../catalog/catalog.ts';
import type { Catalog, Item } from '../catalog/types.ts';
import { embedCatalogFeatures, inputOf } from '../embedding/catalog-embedder.ts';
import type { ClipEmbedder } from '../embedding/clip-embedder.ts';
import { isNodeRuntime } from '../embedding/devices.ts';
import type { EmbeddingCache } from '../embedding/embedding-cache.ts';
import { openEmbeddingCache } from './embedding-cache.ts';
import type { ClipBundleFeature } from './haf-bundle-file.ts';
import { importClip } from './clip-import.ts';
import type { ClipFeaturesError } from './errors.ts';
import { absentTable, clipErrors } from './clip-gaps.ts';
import type { ClipContext } from './model-context.ts';

export interface MissingClipInput {
  readonly clip: ClipContext;
  /** The bundle's CLIP features (one checkpoint, one per modality). */
  readonly features: readonly ClipBundleFeature[];
  readonly catalog: Catalog;
  /** Catalog rows (1-based) the bundle has no vector for. */
  readonly missing: Int32Array;
  /** A modality that could not be embedded: its table stays absent for these items. */
  readonly onError: (error: ClipFeaturesError) => void;
}

async function loadEmbedder(clip: ClipContext, modalities: readonly ClipBundleFeature['modality'][]): Promise<ClipEmbedder> {
  const node = isNodeRuntime();
  const { loadClipEmbedder, setBrowserCaches } = await importClip();
  if (!node) setBrowserCaches({ models: clip.cache, wasm: false });
  return loadClipEmbedder({
    model: clip.model,
    ...(clip.revision ? { revision: clip.revision } : {}),
    ...(clip.remoteHost ? { remoteHost: clip.remoteHost } : {}),
    modalities,
    // wasm in a browser: the vectors then match the CPU ones the bundle was trained on, and a
    // day's new products are too few to need the GPU that HAF may hold.
    device: node ? 'auto' : 'wasm',
  });
}

function imageOf(base: string): (item: Item) => string | undefined {
  return (item) => {
    if (!item.image?.trim()) return undefined;
    const url = new URL(item.image, base);
    return /^(https?|data|blob):$/.test(url.protocol) ? url.href : undefined;
  };
}

/** Rows of `sub` (the missing items, in order) scattered into a table over the whole catalog. */
function scatter(sub: FeatureTable, size: number, missing: Int32Array): FeatureTable {
  const vectors = new Float32Array((size + 1) * sub.dim);
  const present = new Uint8Array(size + 1);
  missing.forEach((row, k) => {
    if (!sub.present[k + 1]) return;
    vectors.set(sub.vectors.subarray((k + 1) * sub.dim, (k + 2) * sub.dim), row * sub.dim);
    present[row] = 1;
  });
  return { ...sub, vectors, present };
}

async function openCache(clip: ClipContext): Promise<EmbeddingCache | undefined> {
  if (!clip.cache) return undefined;
  // No IndexedDB (Node, a refusing browser): embed anyway, just without keeping the vectors.
  return openEmbeddingCache().catch(() => undefined);
}

interface EmbedShared {
  readonly checkpoint: string;
  readonly embedder: () => Promise<ClipEmbedder>;
  readonly cache: EmbeddingCache | undefined;
  readonly imageOf: (item: Item) => string | undefined;
}

/** The missing items' table of one modality (over `sub`), or why there is none. */
async function embedFeature(sub: Catalog, feature: ClipBundleFeature, shared: EmbedShared): Promise<FeatureTable | ClipFeaturesError | undefined> {
  // Nothing to embed in this modality: do not load CLIP just to learn its size.
  if (!sub.items.some((item) => inputOf(item, feature.modality, shared.imageOf) !== undefined)) return undefined;
  try {
    const { cache } = shared;
    const result = await embedCatalogFeatures(sub, { model: shared.checkpoint, embedder: shared.embedder, ...(cache ? { cache } : {}), modalities: [feature.modality], imageOf: shared.imageOf });
    const table = result.tables[0]!;
    return table.dim === feature.dim ? table : clipErrors.failed(shared.checkpoint, feature.modality, `its vectors have ${table.dim} values; the bundle's have ${feature.dim}`);
  } catch (error) {
    return clipErrors.failed(shared.checkpoint, feature.modality, error instanceof Error ? error.message : String(error));
  }
}

/** One table per bundle CLIP feature, over the whole catalog, present only for embedded missing items. */
export async function embedMissingItems(input: MissingClipInput): Promise<FeatureTable[]> {
  const { clip, features, catalog, missing } = input;
  const sub = createCatalog(`${catalog.name} (not in the bundle)`, Array.from(missing, (row) => catalog.item(row)));
  const cache = await openCache(clip);
  let loaded: Promise<ClipEmbedder> | undefined;
  const embedder = () => (loaded ??= loadEmbedder(clip, features.map((f) => f.modality)));
  const shared: EmbedShared = { checkpoint: features[0]!.encoder, embedder, cache, imageOf: imageOf(clip.imageBase) };
  try {
    const tables: FeatureTable[] = [];
    for (const feature of features) {
      const table = await embedFeature(sub, feature, shared);
      if (table instanceof Error) input.onError(table);
      tables.push(table === undefined || table instanceof Error ? absentTable(feature, catalog.size) : scatter(table, catalog.size, missing));
    }
    return tables;
  } finally {
    cache?.close();
    await loaded?.then((e) => e.dispose(), () => undefined);
  }
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import type { Catalog, Item } from '../catalog/types.ts';
import { fileUrlIn, folderFetch } from '../bundle/file-fetch.ts';
import { writeBundle } from '../bundle/bundle-write.ts';
import { TINY_CLIP, tinyClipStore, type TinyClipStore } from '../bundle/test-fixtures.ts';
import { FeatureMismatchError } from '../model/errors.ts';
import { selectNodeBackend } from '../model/node.ts';
import { ClipCheckpointMismatchError, ClipCheckpointMissingError, ClipEmbedFailedError } from './errors.ts';
import type { HafBundleFile } from './haf-bundle-file.ts';
import { loadBundleHaf } from './haf-runtime.ts';
import type { ClipContext, ModelContext } from './model-context.ts';
import { clipProblem } from './missing-features.ts';

let store: TinyClipStore;
let site: string;
let file: HafBundleFile;
let items: Item[];
const fresh: Item = { id: 'books-new', domain: 'books', title: 'A brand new book about rivers' };

beforeAll(async () => {
  store = await tinyClipStore(4);
  site = join(store.root, 'clip-site');
  await writeBundle({ data: store.data, weights: store.weights, out: site, features: store.features, grid: [0.2] });
  file = JSON.parse(await readFile(join(site, 'model.json'), 'utf8')) as HafBundleFile;
  items = (JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as { items: Item[] }).items;
}, 120_000);

const clipAt = (model: string): ClipContext => ({ model, imageBase: 'https://shop.example/catalog.json', cache: false });

function context(catalog: Catalog, clip?: ClipContext): ModelContext {
  const manifest = file as unknown as Record<string, unknown>;
  return { manifest, catalog, url: fileUrlIn(site, 'model.json'), fetch: folderFetch(site), backend: () => selectNodeBackend('wasm'), ...(clip ? { clip } : {}) };
}

/** The item table (vectors, dim 8) the worker builds for `catalog`, and what console.warn got. */
async function table(catalog: Catalog, clip?: ClipContext): Promise<{ vectors: Float32Array; warned: unknown[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const haf = await loadBundleHaf(context(catalog, clip), file);
  try {
    return { vectors: (await haf.itemTableData()).vectors, warned: warn.mock.calls.map((call) => call[1]) };
  } finally {
    haf.dispose();
    warn.mockRestore();
  }
}

const row = (vectors: Float32Array, i: number): number[] => Array.from(vectors.subarray(i * 8, (i + 1) * 8));
const withFresh = (): Catalog => parseCatalogJson({ items: [...items, fresh] }, 'shop');

describe('a bundle of weights trained with CLIP features', () => {
  it('records the CLIP checkpoint as each feature\'s encoder (source "clip") and ships items.bin', () => {
    expect(file.features).toEqual([{ modality: 'text', encoder: 'tiny-clip@main', source: 'clip', dim: 32 }]);
    expect(file.items).toBe('haf/items.bin');
  });

  it('is refused without the feature file, naming the encoder it needs', async () => {
    await expect(writeBundle({ data: store.data, weights: store.weights, out: join(store.root, 'no-features') })).rejects.toThrow(FeatureMismatchError);
    await expect(writeBundle({ data: store.data, weights: store.weights, out: join(store.root, 'no-features') })).rejects.toThrow(/text features from "tiny-clip@main" \(dim 32\).*--features FILE/);
    const noItems = writeBundle({ data: store.data, weights: store.weights, out: join(store.root, 'no-items'), features: store.features, itemVectors: false });
    await expect(noItems).rejects.toThrow(/CLIP features need itemVectors/);
  });
});

describe('new catalog items of a CLIP bundle in the worker', () => {
  it('are embedded by the checkpoint the page names and go through the item tower; the bundle\'s own items keep their vectors', async () => {
    const catalog = withFresh();
    const withClip = await table(catalog, clipAt(TINY_CLIP));
    const without = await table(catalog);
    expect(withClip.warned).toEqual([]);
    const i = catalog.size;
    expect(row(withClip.vectors, i).some((v) => v !== 0)).toBe(true);
    expect(row(without.vectors, i).every((v) => v === 0)).toBe(true);
    for (let k = 1; k < i; k++) expect(row(withClip.vectors, k)).toEqual(row(without.vectors, k));
  });

  it('without data-clip, with another checkpoint or when CLIP fails: a warning with a typed error, and the rest still served', async () => {
    const catalog = withFresh();
    expect((await table(catalog)).warned).toEqual([expect.any(ClipCheckpointMissingError)]);
    expect((await table(catalog, clipAt('Xenova/clip-vit-base-patch32'))).warned).toEqual([expect.any(ClipCheckpointMismatchError)]);
    const broken = await table(catalog, clipAt('/nonexistent/models/tiny-clip'));
    expect(broken.warned).toEqual([expect.any(ClipEmbedFailedError)]);
    expect((broken.warned[0] as ClipEmbedFailedError).code).toBe('hafrec/clip-embed-failed');
    expect(row(broken.vectors, catalog.size).every((v) => v === 0)).toBe(true);
  });

  it('with no new items, never loads CLIP (an unreachable checkpoint goes unnoticed)', async () => {
    const { warned } = await table(parseCatalogJson({ items }, 'shop'), clipAt('/nonexistent/models/tiny-clip'));
    expect(warned).toEqual([]);
  });

  it('matches the page\'s checkpoint by model@revision', () => {
    expect(clipProblem(clipAt(TINY_CLIP), 'tiny-clip@main', 1)).toBeUndefined();
    expect(clipProblem({ ...clipAt(TINY_CLIP), revision: 'v2' }, 'tiny-clip@main', 1)).toBeInstanceOf(ClipCheckpointMismatchError);
    expect(clipProblem(undefined, 'tiny-clip@main', 3)?.message).toMatch(/3 catalog items .* add data-clip/);
  });
});

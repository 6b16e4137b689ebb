/**
 * A tiny store for the bundle tests: a prepared dataset folder (two domains, one item of
 * "music" without a title) and seeded, untrained HAF weights with lexical features, or with
 * tiny-clip text features and their feature file (tinyClipStore); tinySite bundles it.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../scripts/prepare/prepare-dataset.ts';
import { syntheticStore, toCsv } from '../../scripts/prepare/store-variants.ts';
import { loadDataset } from '../catalog/dataset-load.ts';
import { createLexicalEncoder } from '../embedding/lexical-encoder.ts';
import { embedCatalogFeatures } from '../embedding/catalog-embedder.ts';
import { loadClipEmbedder } from '../embedding/clip-embedder.ts';
import { encodeFeatureFile } from '../embedding/feature-file.ts';
import { createHafModel } from '../model/create.ts';
import { fileHandler, selectNodeBackend } from '../model/node.ts';
import { saveHaf } from '../model/weights-io.ts';
import type { Item } from '../catalog/types.ts';
import type { HafBundleFile } from '../engine/haf-bundle-file.ts';
import { writeBundle } from './bundle-write.ts';

export const TINY_TEXT_DIM = 32;

export interface TinyStore {
  readonly root: string;
  readonly data: string;
  readonly weights: string;
}

export const TINY_CLIP = join(import.meta.dirname, '../../public/models/tiny-clip');

export interface TinyClipStore extends TinyStore {
  /** The feature file (tiny-clip title embeddings) the weights were made with. */
  readonly features: string;
}

/** tinyStore's dataset with weights on tiny-clip text features (the random-weight CLIP fixture), and their feature file. */
export async function tinyClipStore(seed = 3): Promise<TinyClipStore> {
  const store = await tinyStore(seed);
  const dataset = await loadDataset(store.data);
  const clip = await loadClipEmbedder({ model: TINY_CLIP, modalities: ['text'], device: 'auto' });
  let tables;
  try {
    ({ tables } = await embedCatalogFeatures(dataset.catalog, { model: clip.id, embedder: async () => clip, modalities: ['text'] }));
  } finally {
    await clip.dispose();
  }
  const features = join(store.root, 'features.clip.bin');
  await writeFile(features, new Uint8Array(await encodeFeatureFile(dataset.catalog, tables)));
  const weights = join(store.root, 'clip-weights');
  const model = createHafModel(dataset.catalog, { config: { dim: 8, blocks: 1, heads: 1, maxLength: 6, attentionDim: 4 }, features: tables, seed, train: dataset.train });
  try {
    await saveHaf(model, dataset.catalog, tables, fileHandler(weights));
  } finally {
    model.dispose();
  }
  return { ...store, weights, features };
}

export async function tinyStore(seed = 3): Promise<TinyStore> {
  await selectNodeBackend('wasm');
  const root = await mkdtemp(join(tmpdir(), 'hafrec-bundle-'));
  const store = syntheticStore({ domains: ['books', 'music'], itemsPerDomain: 24, shoppers: 60, length: 9, seed });
  const catalog = store.catalog.map((item) => (item.id === 'music-0' ? { id: item.id, domain: item.domain } : item));
  await writeFile(join(root, 'catalog.json'), JSON.stringify({ items: catalog }));
  await writeFile(join(root, 'events.csv'), toCsv(store.events));
  const data = join(root, 'data');
  await prepareDataset({ catalog: join(root, 'catalog.json'), events: [join(root, 'events.csv')], out: data, seed, negatives: 20 });
  const dataset = await loadDataset(data);
  const features = [createLexicalEncoder({ dim: TINY_TEXT_DIM }).encodeCatalog(dataset.catalog)];
  const model = createHafModel(dataset.catalog, { config: { dim: 8, blocks: 1, heads: 1, maxLength: 6, attentionDim: 4 }, features, seed, train: dataset.train });
  const weights = join(root, 'weights');
  try {
    await saveHaf(model, dataset.catalog, features, fileHandler(weights));
  } finally {
    model.dispose();
  }
  return { root, data, weights };
}

export interface TinySite {
  /** The folder a shop would serve: catalog.json, model.json and the bundle's files. */
  readonly site: string;
  /** Its model.json. */
  readonly file: HafBundleFile;
  /** Its catalog.json's items. */
  readonly items: Item[];
}

/** tinyStore's data and weights bundled (blend weight 0.2), as the engine's loader tests read them. */
export async function tinySite(seed: number): Promise<TinySite> {
  const store = await tinyStore(seed);
  const site = join(store.root, 'site');
  await writeBundle({ data: store.data, weights: store.weights, out: site, grid: [0.2] });
  const file = JSON.parse(await readFile(join(site, 'model.json'), 'utf8')) as HafBundleFile;
  const items = (JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as { items: Item[] }).items;
  return { site, file, items };
}

/**
 * A `haf` bundle for the fixture shop, made at test setup (Node, no tfjs): the shipped
 * Food-Kitchen HAF weights cut to the shop's 48 items with reindexWeights (rows by item id),
 * the shop's own co-occurrence model as the prior, and the blend weight `npm run bundle`
 * chose on Food-Kitchen's valid split (0.1). Served with page.route in place of the shop's
 * model.json, so dist/shop itself is unchanged.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type * as tf from '@tensorflow/tfjs';
import { FOOD_KITCHEN_DIR, loadDatasetCatalog } from '../src/catalog/dataset-load.ts';
import { parseCatalogJson } from '../src/catalog/catalog-json.ts';
import { reindexWeights } from '../src/model/weights-reindex.ts';
import type { HafBundleFile } from '../src/worker/haf-bundle-file.ts';

const WEIGHTS = 'public/models/haf-food-kitchen';
const SHOP_DIR = 'public/shop';

export interface HafShopFixture {
  readonly files: Record<string, { readonly body: Buffer; readonly type: string }>;
  readonly manifest: HafBundleFile;
}

async function cutWeights(shopItems: unknown): Promise<{ json: object; bin: Buffer; ids: string[] }> {
  const json = JSON.parse(await readFile(join(WEIGHTS, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const bin = await readFile(join(WEIGHTS, 'weights.bin'));
  const artifacts: tf.io.ModelArtifacts = {
    ...json,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
  };
  const full = await loadDatasetCatalog(FOOD_KITCHEN_DIR);
  const shop = parseCatalogJson(shopItems, 'shop');
  const cut = reindexWeights(artifacts, full.items.map((i) => i.id), shop);
  const out = { ...json, weightsManifest: [{ paths: ['weights.bin'], weights: cut.artifacts.weightSpecs }], userDefinedMetadata: cut.artifacts.userDefinedMetadata };
  return { json: out, bin: Buffer.from(cut.artifacts.weightData as ArrayBuffer), ids: shop.items.map((i) => i.id) };
}

export async function hafShopFixture(): Promise<HafShopFixture> {
  const catalog = JSON.parse(await readFile(join(SHOP_DIR, 'catalog.json'), 'utf8')) as unknown;
  const prior = await readFile(join(SHOP_DIR, 'model.json'));
  const { json, bin, ids } = await cutWeights(catalog);
  const manifest: HafBundleFile = {
    format: 'hafrec-model',
    version: 1,
    kind: 'haf',
    source: 'e2e/haf-bundle-fixture.ts: public/models/haf-food-kitchen cut to the fixture shop',
    ids,
    weights: 'haf/model.json',
    quantization: 'float16',
    features: [{ modality: 'text', encoder: 'lexical-v1-d256', source: 'catalog-text' }],
    prior: 'prior.json',
    blend: { serves: 'haf+prior', weight: 0.1, split: 'valid', metric: 'NDCG@10', rule: 'as chosen by npm run bundle on Food-Kitchen valid', candidates: [] },
  };
  const jsonType = 'application/json';
  return {
    manifest,
    files: {
      'model.json': { body: Buffer.from(JSON.stringify(manifest)), type: jsonType },
      'prior.json': { body: prior, type: jsonType },
      'haf/model.json': { body: Buffer.from(JSON.stringify(json)), type: jsonType },
      'haf/weights.bin': { body: bin, type: 'application/octet-stream' },
    },
  };
}

/** Serves the fixture's files in place of /shop/model.json and beside it; `extraItems` join the shop's catalog. */
export async function serveHafShop(page: Page, fixture: HafShopFixture, extraItems: readonly object[] = []): Promise<void> {
  if (extraItems.length > 0) {
    const catalog = JSON.parse(await readFile(join(SHOP_DIR, 'catalog.json'), 'utf8')) as { items: object[] };
    const body = JSON.stringify({ items: [...catalog.items, ...extraItems] });
    await page.route('**/shop/catalog.json', (route) => route.fulfill({ status: 200, body, contentType: 'application/json' }));
  }
  for (const [path, file] of Object.entries(fixture.files)) {
    await page.route(`**/shop/${path}`, (route) => route.fulfill({ status: 200, body: file.body, contentType: file.type }));
  }
}

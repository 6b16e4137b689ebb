import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import type { Catalog, Item } from '../catalog/types.ts';
import { fileUrlIn, folderFetch } from '../bundle/file-fetch.ts';
import { tinySite } from '../bundle/test-fixtures.ts';
import { selectNodeBackend } from '../model/node.ts';
import type { Recommender } from '../eval/recommender.ts';
import { ModelFormatError } from './errors.ts';
import { canExplain, pickReason } from './explain.ts';
import type { HafBundleFile } from './haf-bundle-file.ts';
import { loadModel } from './model-registry.ts';
import { recommendFromHistory } from './recommend-service.ts';

let site: string;
let file: HafBundleFile;
let items: Item[];

beforeAll(async () => {
  ({ site, file, items } = await tinySite(5));
}, 120_000);

const backend = () => selectNodeBackend('wasm');

async function load(catalog: Catalog, manifest: unknown): Promise<Recommender> {
  return loadModel({ manifest, catalog, url: fileUrlIn(site, 'model.json'), fetch: folderFetch(site), backend });
}

const serveHaf = (): HafBundleFile => ({ ...file, blend: { ...file.blend, serves: 'haf+prior', weight: 0.2 } });

describe("the storefront worker's 'haf' kind", () => {
  it('recommends with HAF + prior and explains each pick by HAF attention (item and domain)', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const recommender = await load(catalog, serveHaf());
    try {
      expect(recommender.name).toBe('haf+cooccurrence (bundle)');
      expect(canExplain(recommender)).toBe(true);
      const events = ['books-3', 'music-4', 'books-5'].map((itemId, k) => ({ id: `e${k}`, itemId, domain: itemId.split('-')[0]!, type: 'view' as const, ts: 1000 + k }));
      const picks = await recommendFromHistory({ catalog, recommender, events: events as never, domain: 'books', k: 3, baseUrl: 'https://shop.example/' });
      expect(picks).toHaveLength(3);
      for (const pick of picks) {
        expect(['books-3', 'music-4', 'books-5']).toContain(pick.reason?.itemId);
        expect(pick.reason!.attention!).toBeGreaterThan(0);
        expect(pick.reason!.attention!).toBeLessThanOrEqual(1);
        expect(['books', 'music']).toContain(pick.reason!.domain);
      }
    } finally {
      recommender.dispose();
    }
  });

  it('scores catalog items the weights never saw, from their title, with ids mapped by item id', async () => {
    const fresh: Item = { id: 'new-book', domain: 'books', title: 'books item 3 shade 3' };
    // Reordered, one item dropped, one new item: rows must follow ids, not positions.
    const shop = parseCatalogJson({ items: [fresh, ...[...items].reverse().filter((i) => i.id !== 'books-7')] }, 'shop');
    const recommender = await load(shop, serveHaf());
    try {
      const history = Int32Array.from([shop.indexOf('books-2'), shop.indexOf('books-3')]);
      const books = shop.domainItems[0]!;
      const [scores] = await recommender.score([{ history, domain: 0 }]);
      expect(scores).toHaveLength(books.length);
      expect([...scores!].every(Number.isFinite)).toBe(true);
      const all = await recommender.recommend(history, 0, books.length);
      expect(all.map((r) => shop.item(r.item).id)).toContain('new-book');
    } finally {
      recommender.dispose();
    }
  });

  it('gives the same scores for the same items whatever the catalog order', async () => {
    const a = parseCatalogJson({ items }, 'a');
    const within = (d: string) => items.filter((i) => i.domain === d).reverse();
    const b = parseCatalogJson({ items: [...within('books'), ...within('music')] }, 'b');
    const [ra, rb] = [await load(a, serveHaf()), await load(b, serveHaf())];
    try {
      const ids = ['books-1', 'music-2', 'books-4'];
      const history = (c: Catalog) => Int32Array.from(ids.map((id) => c.indexOf(id)));
      const candidates = (c: Catalog) => Int32Array.from(['books-5', 'books-9', 'books-11'].map((id) => c.indexOf(id)));
      const [sa] = await ra.score([{ history: history(a), domain: a.domainIndex('books'), candidates: candidates(a) }]);
      const [sb] = await rb.score([{ history: history(b), domain: b.domainIndex('books'), candidates: candidates(b) }]);
      expect(Array.from(sb!)).toEqual(Array.from(sa!).map((x) => expect.closeTo(x, 4)));
    } finally {
      ra.dispose();
      rb.dispose();
    }
  });

  it('refuses a catalog whose domains come in another order (typed error naming both)', async () => {
    const flipped = parseCatalogJson({ items: [...items].reverse() }, 'flipped');
    await expect(load(flipped, serveHaf())).rejects.toThrow(/trained for domains books\/music; this catalog has music\/books/);
  });

  it('leaks no tensors across recommend() and explain()', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const recommender = await load(catalog, serveHaf());
    try {
      const history = Int32Array.from([1, 30, 2]);
      await recommender.recommend(history, 0, 4);
      const before = tf.memory().numTensors;
      for (let k = 0; k < 3; k++) {
        const picks = await recommender.recommend(history, 1, 4);
        if (canExplain(recommender)) expect(pickReason((await recommender.explain(history, 1, Int32Array.from(picks, (p) => p.item)))[0])).toBeDefined();
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      recommender.dispose();
    }
  });

  it('a bundle that chose the prior serves the co-occurrence prior alone', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const recommender = await load(catalog, { ...file, blend: { ...file.blend, serves: 'prior', weight: 0 } });
    expect(recommender.name).toMatch(/^cooccurrence/);
    recommender.dispose();
  });

  it('serves the prior, not an error, when the HAF runtime cannot load (weights unreachable)', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const recommender = await load(catalog, { ...serveHaf(), weights: 'missing/model.json' });
    expect(recommender.name).toMatch(/^cooccurrence \(haf bundle: HAF unavailable/);
    expect(await recommender.recommend(Int32Array.from([1]), 0, 2)).toHaveLength(2);
    recommender.dispose();
  });

  it('rejects malformed haf manifests with a typed error that says what is valid', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    await expect(load(catalog, { ...file, weights: 3 })).rejects.toThrow(ModelFormatError);
    await expect(load(catalog, { ...file, features: [{ modality: 'text', encoder: 'clip', source: 'catalog-text' }] })).rejects.toThrow(/valid is/);
    await expect(load(catalog, { ...file, blend: { serves: 'both', weight: 1 } })).rejects.toThrow(/"serves"/);
    await writeFile(join(site, 'broken-prior.json'), '{');
    await expect(load(catalog, { ...file, prior: 'broken-prior.json' })).rejects.toThrow(/not valid JSON/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import type { Catalog, Item } from '../catalog/types.ts';
import { fileUrlIn, folderFetch } from '../bundle/file-fetch.ts';
import { tinySite } from '../bundle/test-fixtures.ts';
import { topK } from '../eval/top-k.ts';
import { selectNodeBackend } from '../model/node.ts';
import type { HafRecommender } from '../model/recommender.ts';
import { ModelFormatError } from './errors.ts';
import type { HafBundleFile } from './haf-bundle-file.ts';
import { bundleRows, subCatalog } from './haf-int8-items.ts';
import { rowMap } from '../model/weights-reindex.ts';
import { loadBundleHaf } from './haf-runtime.ts';
import { INT8_MIN_ITEMS, itemScoring } from './item-scoring.ts';
import type { ModelContext } from './model-context.ts';

let site: string;
let file: HafBundleFile;
let items: Item[];

beforeAll(async () => {
  ({ site, file, items } = await tinySite(6));
}, 120_000);

function context(catalog: Catalog, scoring: 'int8' | 'float'): ModelContext {
  const manifest = { ...file, itemScoring: scoring } as unknown as Record<string, unknown>;
  return { manifest, catalog, url: fileUrlIn(site, 'model.json'), fetch: folderFetch(site), backend: () => selectNodeBackend('wasm') };
}

async function both(catalog: Catalog): Promise<[HafRecommender, HafRecommender]> {
  return [await loadBundleHaf(context(catalog, 'int8'), file), await loadBundleHaf(context(catalog, 'float'), file)];
}

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe("the 'haf' kind over int8 item rows", () => {
  it('ranks a whole domain like the float table (scores within the query rounding, same top-5) and explains the same', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const [int8, float] = await both(catalog);
    try {
      expect(int8.name).toBe('haf (bundle, int8 items)');
      const history = Int32Array.from(['books-3', 'music-4', 'books-5'].map((id) => catalog.indexOf(id)));
      for (const domain of [0, 1]) {
        const [a] = await int8.score([{ history, domain }]);
        const [b] = await float.score([{ history, domain }]);
        const tolerance = 1e-3 * maxAbs(b!);
        a!.forEach((s, i) => expect(Math.abs(s - b![i]!)).toBeLessThanOrEqual(tolerance));
        const top = (s: Float32Array) => topK(s, catalog.domainItems[domain]!, 5).map((r) => r.item);
        expect(top(a!)).toEqual(top(b!));
      }
      const candidates = Int32Array.from([catalog.indexOf('books-1'), catalog.indexOf('music-2')]);
      const [c] = await int8.score([{ history, domain: 0, candidates }]);
      const [d] = await float.score([{ history, domain: 0, candidates }]);
      c!.forEach((s, i) => expect(s).toBeCloseTo(d![i]!, 4));
      const [why, whyFloat] = [await int8.explainAttention(history, 0), await float.explainAttention(history, 0)];
      expect(why.positions.map((p) => p.weight)).toEqual(whyFloat.positions.map((p) => p.weight).map((w) => expect.closeTo(w, 5)));
      expect(why.modality).toEqual(whyFloat.modality);
      expect(why.modality.length).toBeGreaterThan(0);
    } finally {
      int8.dispose();
      float.dispose();
    }
  }, 60_000);

  it('computes the catalog items the bundle lacks with a model of those items alone', async () => {
    const fresh: Item = { id: 'new-book', domain: 'books', title: 'books item 3 shade 3' };
    const shop = parseCatalogJson({ items: [...items.filter((i) => i.id !== 'books-7'), fresh] }, 'shop');
    const [int8, float] = await both(shop);
    try {
      const row = shop.indexOf('new-book');
      const a = (await int8.itemTableData()).vectors;
      const b = (await float.itemTableData()).vectors;
      const d = a.length / (shop.size + 1);
      const step = maxAbs(b.subarray(row * d, (row + 1) * d)) / 127;
      expect(step).toBeGreaterThan(0);
      for (let j = 0; j < d; j++) expect(Math.abs(a[row * d + j]! - b[row * d + j]!)).toBeLessThanOrEqual(step / 2 + 1e-6);
      const all = await int8.recommend(Int32Array.from([shop.indexOf('books-2')]), 0, shop.domainItems[0]!.length);
      expect(all.map((r) => shop.item(r.item).id)).toContain('new-book');
    } finally {
      int8.dispose();
      float.dispose();
    }
  }, 60_000);

  it('leaks no tensors: score, recommend, explain, both in one pass, item rows', async () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const haf = await loadBundleHaf(context(catalog, 'int8'), file);
    try {
      const history = Int32Array.from([catalog.indexOf('books-3'), catalog.indexOf('music-4')]);
      const start = tf.memory().numTensors;
      await haf.score([{ history, domain: 0 }, { history, domain: 1, candidates: Int32Array.from([1, 2]) }]);
      await haf.recommend(history, 1, 3);
      await haf.explainAttention(history, 0);
      await haf.recommendWithExplanation(history, 0, 3);
      tf.tidy(() => void haf.itemRows(tf.tensor1d(history, 'int32')));
      expect(tf.memory().numTensors).toBe(start);
    } finally {
      haf.dispose();
    }
  }, 60_000);
});

describe('itemScoring', () => {
  const small = { size: 10 } as Catalog;
  const large = { size: INT8_MIN_ITEMS } as Catalog;
  it('is int8 from INT8_MIN_ITEMS items with items.bin, float below, and what the manifest says', () => {
    expect(itemScoring({}, file, small, 'm')).toBe('float');
    expect(itemScoring({}, file, large, 'm')).toBe('int8');
    expect(itemScoring({}, { ...file, items: undefined }, large, 'm')).toBe('float');
    expect(itemScoring({ itemScoring: 'int8' }, file, small, 'm')).toBe('int8');
    expect(itemScoring({ itemScoring: 'float' }, file, large, 'm')).toBe('float');
  });

  it('refuses other values, and int8 without items.bin, with a ModelFormatError', () => {
    expect(() => itemScoring({ itemScoring: 'int4' }, file, small, 'm')).toThrow(ModelFormatError);
    expect(() => itemScoring({ itemScoring: 'int8' }, { ...file, items: undefined }, small, 'm')).toThrow(/needs "items"/);
  });
});

describe('bundleRows', () => {
  it('is rowMap, the identity when the bundle lists the catalog in order', () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const ids = items.map((i) => i.id);
    expect(Array.from(bundleRows(ids, catalog))).toEqual(Array.from({ length: catalog.size + 1 }, (_, i) => i));
    expect(bundleRows(ids, catalog)).toEqual(rowMap(ids, catalog));
    const other = [...ids].reverse();
    expect(bundleRows(other, catalog)).toEqual(rowMap(other, catalog));
  });
});

describe('subCatalog', () => {
  it('keeps every domain (empty ones too) and numbers the chosen items 1..n', () => {
    const catalog = parseCatalogJson({ items }, 'shop');
    const chosen = Int32Array.from([catalog.indexOf('music-2'), catalog.indexOf('music-5')]).sort();
    const sub = subCatalog(catalog, chosen);
    expect(sub.domains).toEqual(catalog.domains);
    expect(sub.size).toBe(2);
    expect(sub.domainItems.map((d) => Array.from(d))).toEqual(catalog.domains.map((name) => (name === 'music' ? [1, 2] : [])));
    expect(sub.item(1).id).toBe(catalog.item(chosen[0]!).id);
    expect(sub.indexOf(catalog.item(chosen[1]!).id)).toBe(2);
    expect(() => sub.item(3)).toThrow(/unknown item index 3/);
  });
});

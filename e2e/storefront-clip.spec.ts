import { test, expect, type Page, type Request } from '@playwright/test';
import { dedicatedWorkers, flagBoot, ready } from './storefront-helpers.ts';

/**
 * The small CLIP shop (public/shop-clip, built by scripts/build-clip-shop.ts): a HAF bundle
 * trained with tiny-clip image + text features. A product added to the catalog after the
 * bundle is embedded by tiny-clip in the tag's worker (lazy chunks), kept in the embedding
 * cache, and recommended; without data-clip it is still served, with a typed warning.
 */
// The tests change the catalog the worker fetches and watch what it fetches, which Playwright
// can do for a dedicated worker only (the shared one runs the same code).
test.beforeEach(async ({ context }) => {
  await flagBoot(context);
  await dedicatedWorkers(context);
});
test.setTimeout(180_000);

const SHOP = '/shop-clip/';
const FRESH = { id: 'books-new', domain: 'books', title: 'A brand new book about rivers', image: 'img/shade-2.png' };
const CLIP_FILES = /\/models\/tiny-clip\/onnx\/(text|vision)_model\.onnx$/;
const CLIP_CODE = /\/embed-chunks\/(clip-load|clip-embedder|ort-wasm-[\w.-]+)-[\w-]+\.(js|mjs|wasm)$/;

type Api = {
  track(e: object): Promise<unknown>;
  recommend(d: string, k: number): Promise<{ id: string; score: number }[]>;
};

async function withNewProduct(page: Page): Promise<void> {
  await page.route('**/shop-clip/catalog.json', async (route) => {
    const catalog = (await (await route.fetch()).json()) as { items: object[] };
    await route.fulfill({ json: { items: [...catalog.items, FRESH] } });
  });
}

async function open(page: Page, file: string): Promise<void> {
  await page.goto(`${SHOP}${file}`);
  await ready(page);
}

async function browse(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const api = (window as unknown as { hafrec: Api }).hafrec;
    for (const itemId of ['books-1', 'books-2', 'books-3']) await api.track({ type: 'view', itemId, domain: 'books' });
  });
}

async function picks(page: Page): Promise<{ id: string; score: number }[]> {
  return page.evaluate(() => (window as unknown as { hafrec: Api }).hafrec.recommend('books', 100));
}

async function cachedVectors(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('hafrec-embeddings');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('vectors').objectStore('vectors').count();
          count.onsuccess = () => (resolve(count.result), open.result.close());
        };
      }),
  );
}

const paths = (requests: readonly Request[]): string[] => requests.map((r) => new URL(r.url()).pathname);

test('a product added after the bundle is embedded by tiny-clip in the browser and recommended; the next visit runs CLIP 0 times', async ({ page, context }) => {
  const requests: Request[] = [];
  const warnings: string[] = [];
  context.on('request', (r) => requests.push(r));
  context.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
  await withNewProduct(page);
  await open(page, 'index.html');
  await browse(page);
  let started = Date.now();
  const first = await picks(page);
  const firstMs = Date.now() - started;
  const fresh = first.find((p) => p.id === FRESH.id);
  expect(fresh, 'the new product is among the recommendations').toBeDefined();
  expect(Number.isFinite(fresh!.score)).toBe(true);
  const seen = paths(requests);
  expect([...new Set(seen.filter((p) => CLIP_FILES.test(p)))].sort()).toEqual(['/models/tiny-clip/onnx/text_model.onnx', '/models/tiny-clip/onnx/vision_model.onnx']);
  expect(seen.some((p) => CLIP_CODE.test(p))).toBe(true);
  expect(seen).toContain('/shop-clip/img/shade-2.png');
  expect(warnings.filter((w) => /hafrec\/clip/.test(w))).toEqual([]);
  expect(await cachedVectors(page), 'one title and one picture vector cached').toBe(2);
  const kept = await page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) out.push(new URL(request.url).pathname);
    return out;
  });
  expect(kept.filter((p) => p.endsWith('.wasm')), 'ONNX Runtime\'s wasm is left to the HTTP cache').toEqual([]);
  console.log(`new product: rank ${first.indexOf(fresh!) + 1} of ${first.length}, score ${fresh!.score.toFixed(4)}`);

  const again = await context.newPage();
  await withNewProduct(again);
  requests.length = 0;
  await open(again, 'index.html');
  started = Date.now();
  const second = await picks(again);
  console.log(`first recommendation: ${firstMs} ms with CLIP (tiny-clip, cold), ${Date.now() - started} ms on the next visit (cache hit)`);
  expect(paths(requests).filter((p) => CLIP_FILES.test(p) || CLIP_CODE.test(p)), 'no CLIP model file or transformers.js chunk on the second visit').toEqual([]);
  expect(second.map((p) => p.id)).toEqual(first.map((p) => p.id));
  expect(second.find((p) => p.id === FRESH.id)!.score).toBeCloseTo(fresh!.score, 2);
});

test('without data-clip the new product is still served (no CLIP), and a typed warning says why', async ({ page, context }) => {
  const requests: Request[] = [];
  const warnings: string[] = [];
  context.on('request', (r) => requests.push(r));
  context.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
  await withNewProduct(page);
  await open(page, 'no-clip.html');
  await browse(page);
  const shown = await picks(page);
  expect(shown.map((p) => p.id)).toContain(FRESH.id);
  expect(shown.every((p) => Number.isFinite(p.score))).toBe(true);
  expect(paths(requests).filter((p) => CLIP_FILES.test(p) || CLIP_CODE.test(p) || /\/embed-chunks\/clip-missing-/.test(p))).toEqual([]);
  await expect.poll(() => warnings.filter((w) => w.includes('hafrec/clip-checkpoint-missing')).length).toBe(1);
});

test('before the shopper consents, CLIP still embeds the new product but nothing is kept (no embedding cache, no Cache Storage)', async ({ page, context }) => {
  const requests: Request[] = [];
  context.on('request', (r) => requests.push(r));
  await withNewProduct(page);
  await open(page, 'pending.html');
  const shown = await picks(page);
  expect(shown.map((p) => p.id)).toContain(FRESH.id);
  expect(paths(requests).some((p) => CLIP_FILES.test(p)), 'CLIP ran').toBe(true);
  const stored = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
  }));
  expect(stored.databases).not.toContain('hafrec-embeddings');
  expect(stored.caches).toEqual([]);
});

import { test, expect, type Page } from '@playwright/test';
import type { HistoryEvent } from '../src/store/event.ts';
import { nodeScores } from './haf-shop-node.ts';
import { HAF_REASON, FOOD, HAF_SHOP, KITCHEN, dedicatedWorkers, flagBoot, product, shownIds, visit, watch, widget } from './storefront-helpers.ts';

/**
 * The real-size fixture shop (public/shop): the whole Food-Kitchen catalog (36,298 items) with
 * one product page template, served from the bundle scripts/build-haf-shop.ts built through
 * prepare + bundle. The tag's worker runs HAF + the prior, lazily.
 */
// These tests block and watch the worker's requests, which Playwright sees for dedicated workers
// only; storefront-shared.spec.ts runs the same shop through the shared engine.
test.beforeEach(async ({ context }) => {
  await flagBoot(context);
  await dedicatedWorkers(context);
});
test.setTimeout(240_000);

const BUNDLE_FILES = /\/shop\/(catalog\.json|model\.json|prior\.bin|haf\/model\.json|haf\/weights\.bin|haf\/items\.bin)$/;

async function browse(page: Page): Promise<void> {
  for (const id of [...KITCHEN, ...FOOD]) await visit(page, product(id), HAF_SHOP);
}

type Api = { recommend(d: string, k: number): Promise<{ id: string; score: number }[]>; export(o: object): Promise<{ events: HistoryEvent[] }> };

async function recommendations(page: Page, domain: string, k: number): Promise<{ id: string; score: number }[]> {
  return page.evaluate(([d, n]) => (window as unknown as { hafrec: Api }).hafrec.recommend(d!, Number(n)), [domain, String(k)]);
}

test('a shopper browsing food and kitchen product pages gets HAF picks with attention reasons, scored as Node scores them', async ({ page, context }) => {
  const { requests, violations } = watch(context);
  await browse(page);
  await visit(page, product(FOOD[0]!), HAF_SHOP);
  await expect(page.locator('#product-title')).not.toHaveText('Loading…');
  const ids = await shownIds(page, 'kitchen');
  expect(ids).toHaveLength(4);
  expect(ids.some((id) => KITCHEN.includes(id))).toBe(false);
  const reason = widget(page, 'kitchen').locator('.reason').first();
  await expect(reason).toHaveText(HAF_REASON);
  await expect(widget(page, 'food').locator('.reason').first()).toHaveText(HAF_REASON);
  const paths = requests.map((r) => new URL(r.url()).pathname);
  expect(paths).toContain('/shop/haf/weights.bin');
  expect(paths).toContain('/shop/prior.bin');
  expect(paths.some((p) => /^\/embed-chunks\/haf-runtime-.*\.js$/.test(p))).toBe(true);
  expect(requests.every((r) => new URL(r.url()).origin === new URL(page.url()).origin || /^(data|blob):/.test(r.url()))).toBe(true);
  expect(violations).toEqual([]);

  const events = await page.evaluate(async () => (await (window as unknown as { hafrec: Api }).hafrec.export({ download: false })).events);
  for (const domain of ['kitchen', 'food']) {
    const browser = await recommendations(page, domain, 10);
    const node = await nodeScores(events, domain, 10);
    expect(browser.map((r) => r.id)).toEqual([...node.keys()]);
    for (const r of browser) expect(Math.abs(r.score - node.get(r.id)!), `${domain} ${r.id}`).toBeLessThan(1e-4);
  }
  console.log(`haf reason: ${await reason.textContent()}`);
});

test('after one visit the shop recommends with HAF with every bundle file unreachable (the worker\'s offline cache)', async ({ page, context }) => {
  await browse(page);
  await expect(widget(page, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
  const blocked = new Set<string>();
  await context.route(BUNDLE_FILES, (route) => {
    blocked.add(new URL(route.request().url()).pathname);
    return route.abort('internetdisconnected');
  });
  // The kitchen page is static HTML (a product page needs catalog.json to render itself).
  await visit(page, 'kitchen.html', HAF_SHOP);
  expect(await shownIds(page, 'kitchen')).toHaveLength(4);
  await expect(widget(page, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
  expect([...blocked].sort()).toEqual(['/shop/catalog.json', '/shop/haf/items.bin', '/shop/haf/model.json', '/shop/haf/weights.bin', '/shop/model.json', '/shop/prior.bin']);
});

test('with the bundle files AND the lazy HAF code unreachable, the tag serves the cached prior instead of an error', async ({ page, context }) => {
  await browse(page);
  await expect(widget(page, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
  await context.route(BUNDLE_FILES, (route) => route.abort('internetdisconnected'));
  // The lazy HAF code only: the worker's entry and its small shared chunks are the tag itself.
  await context.route(/\/embed-chunks\/(haf-runtime|haf-browser-backend|shared|dist)-[\w-]+\.js$|\.wasm$/, (route) => route.abort('internetdisconnected'));
  await visit(page, 'kitchen.html', HAF_SHOP);
  expect(await shownIds(page, 'kitchen')).toHaveLength(4);
  const reason = await widget(page, 'kitchen').locator('.reason').first().textContent();
  expect(reason).toMatch(/^Because you viewed /);
  expect(reason).not.toMatch(/attention/);
});

test('a product added to the catalog after the bundle (not in the weights) is scored from its title and can be recommended', async ({ page }) => {
  const fresh = { id: 'new-kitchen-1', domain: 'kitchen', title: 'Stainless Steel Measuring Cup Set, 4-Piece', url: 'product.html?id=new-kitchen-1' };
  await page.route('**/shop/catalog.json', async (route) => {
    const catalog = (await (await route.fetch()).json()) as { items: object[] };
    await route.fulfill({ json: { items: [...catalog.items, fresh] } });
  });
  // Three stainless steel measuring cup sets of the catalog (8817 RSVP, 8828 Ganz, 8839 MIU France).
  for (const id of ['8817', '8828', '8839']) await visit(page, product(id), HAF_SHOP);
  const top = await recommendations(page, 'kitchen', 100);
  const rank = top.findIndex((r) => r.id === fresh.id);
  console.log(`new item rank ${rank + 1} of the kitchen domain (27,638 items)`);
  expect(rank, 'the new item is among the 100 best kitchen picks').toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(top[rank]!.score)).toBe(true);
});

import { test, expect } from '@playwright/test';
import { hafShopFixture, serveHafShop, type HafShopFixture } from './haf-bundle-fixture.ts';
import { FOOD, KITCHEN, flagBoot, shownIds, visit, watch, widget } from './storefront-helpers.ts';

/** The fixture shop with a `haf` model manifest: the tag's worker loads HAF lazily and explains picks by attention. */
let fixture: HafShopFixture;
test.beforeAll(async () => {
  fixture = await hafShopFixture();
});
test.beforeEach(async ({ context }) => flagBoot(context));

test('the tag runs a haf bundle: HAF + prior recommendations with attention reasons, tfjs and wasm from the shop origin', async ({ page, context }) => {
  const { requests, violations } = watch(context);
  await serveHafShop(page, fixture);
  for (const id of [...KITCHEN, ...FOOD]) await visit(page, `p/${id}.html`);
  await visit(page, 'kitchen.html');
  const ids = await shownIds(page, 'kitchen');
  expect(ids).toHaveLength(4);
  expect(ids.some((id) => KITCHEN.includes(id))).toBe(false);
  const reason = widget(page, 'kitchen').locator('.reason').first();
  await expect(reason).toHaveText(/^Because you viewed .+ \(attention \d+%, (food|kitchen) history \d+%\)$/);
  const urls = requests.map((r) => new URL(r.url()));
  expect(urls.some((u) => u.pathname === '/shop/haf/weights.bin')).toBe(true);
  expect(urls.some((u) => /^\/embed-chunks\/haf-runtime-.*\.js$/.test(u.pathname))).toBe(true);
  // selectBackend('auto') starts wasm to time it: its binary comes from the shop, next to the chunks.
  expect(urls.some((u) => /^\/embed-chunks\/tfjs-backend-wasm.*\.wasm$/.test(u.pathname))).toBe(true);
  console.log(`haf reason: ${await reason.textContent()}`);
  expect(urls.every((u) => u.origin === new URL(page.url()).origin || u.protocol === 'data:' || u.protocol === 'blob:')).toBe(true);
  expect(violations).toEqual([]);
});

test('a product added to the catalog after the bundle (not in the weights) is scored from its title and can be recommended', async ({ page }) => {
  const fresh = { id: 'new-kitchen-1', domain: 'kitchen', title: 'Stainless Steel Measuring Cup Set, 4-Piece', url: 'p/new-kitchen-1.html' };
  await serveHafShop(page, fixture, [fresh]);
  for (const id of [...KITCHEN, ...FOOD]) await visit(page, `p/${id}.html`);
  await visit(page, 'kitchen.html');
  const all = await page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { recommend(d: string, k: number): Promise<{ id: string; score: number }[]> } }).hafrec;
    return api.recommend('kitchen', 24);
  });
  const mine = all.find((r) => r.id === 'new-kitchen-1');
  expect(mine, 'the new item is ranked, not dropped').toBeDefined();
  expect(Number.isFinite(mine!.score)).toBe(true);
  console.log(`new item rank ${all.indexOf(mine!) + 1} of ${all.length}`);
});

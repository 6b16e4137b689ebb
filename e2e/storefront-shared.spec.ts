import { test, expect, type Page } from '@playwright/test';
import type { HistoryEvent } from '../src/store/event.ts';
import { nodeScores } from './haf-shop-node.ts';
import { HAF_REASON, FOOD, HAF_SHOP, KITCHEN, dedicatedWorkers, flagBoot, product, visit, watch, widget } from './storefront-helpers.ts';

/**
 * The tag's default engine: one SharedWorker (with Chromium's extendedLifetime) that every page
 * of the shop talks to, so the model loaded by one page serves the next page and other tabs.
 * The real-size HAF shop (public/shop) runs through it here.
 */
test.beforeEach(async ({ context }) => flagBoot(context));
test.setTimeout(240_000);


interface Info { shared: boolean; warm: boolean; model: string; items: number }
type Api = {
  info(): Promise<Info>;
  recommend(d: string, k: number): Promise<{ id: string; score: number }[]>;
  export(o: object): Promise<{ events: HistoryEvent[] }>;
};
const api = (page: Page) => ({
  info: () => page.evaluate(() => (window as unknown as { hafrec: Api }).hafrec.info()),
  recommend: (domain: string, k: number) =>
    page.evaluate(([d, n]) => (window as unknown as { hafrec: Api }).hafrec.recommend(d!, Number(n)), [domain, String(k)]),
  events: () => page.evaluate(async () => (await (window as unknown as { hafrec: Api }).hafrec.export({ download: false })).events),
});

test('the next product page finds the HAF model already loaded in the shared engine, and scores as Node does', async ({ page, context }) => {
  const { violations } = watch(context);
  await visit(page, product(KITCHEN[0]), HAF_SHOP);
  const first = await api(page).info();
  expect(first).toMatchObject({ shared: true, warm: false, items: 36_298 });
  expect(first.model).toMatch(/^haf\+cooccurrence/);

  for (const id of [KITCHEN[1], ...FOOD]) {
    await visit(page, product(id), HAF_SHOP);
    expect(await api(page).info()).toMatchObject({ shared: true, warm: true });
  }
  await expect(widget(page, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
  const events = await api(page).events();
  for (const domain of ['kitchen', 'food']) {
    const browser = await api(page).recommend(domain, 10);
    const node = await nodeScores(events, domain, 10);
    expect(browser.map((r) => r.id)).toEqual([...node.keys()]);
    for (const r of browser) expect(Math.abs(r.score - node.get(r.id)!), `${domain} ${r.id}`).toBeLessThan(1e-4);
  }
  expect(violations).toEqual([]);
});

test('two tabs share one engine and each gets its own recommendations at the same time', async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await visit(a, product(KITCHEN[0]), HAF_SHOP);
  await visit(b, product(FOOD[0]), HAF_SHOP);
  expect(await api(b).info()).toMatchObject({ shared: true, warm: true });
  const [fromA, fromB] = await Promise.all([api(a).recommend('food', 4), api(b).recommend('kitchen', 4)]);
  expect(fromA).toHaveLength(4);
  expect(fromB).toHaveLength(4);
  // Both tabs read the one history of this browser: the same request gives the same answer in either.
  expect(await api(a).recommend('kitchen', 4)).toEqual(await api(b).recommend('kitchen', 4));
});

test('a browser without SharedWorker gets a worker per page with the same recommendations', async ({ page, context }) => {
  await visit(page, product(KITCHEN[0]), HAF_SHOP);
  await visit(page, product(FOOD[0]), HAF_SHOP);
  const shared = await api(page).recommend('kitchen', 10);
  await dedicatedWorkers(context);
  await visit(page, product(FOOD[0]), HAF_SHOP);
  expect(await api(page).info()).toMatchObject({ shared: false, warm: false });
  // The same history (the last view was of the same page) through a fresh dedicated worker.
  const dedicated = await api(page).recommend('kitchen', 10);
  expect(dedicated.map((r) => r.id)).toEqual(shared.map((r) => r.id));
  dedicated.forEach((r, i) => expect(Math.abs(r.score - shared[i]!.score)).toBeLessThan(1e-5));
});

import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import type { HistoryEvent } from '../src/store/event.ts';
import type { WholeDomainInfo } from '../src/engine/protocol.ts';
import { nodeScores } from './haf-shop-node.ts';
import { FOOD, HAF_REASON, HAF_SHOP, KITCHEN, dedicatedWorkers, flagBoot, visit, widget } from './storefront-helpers.ts';

/**
 * The HAF shop (public/shop) through the real tag, worker and engine with data-whole-domain:
 * forced onto the fused WebGPU pass (SwiftShader here), its recommendations equal the normal
 * path's (Node's, as storefront-haf.spec.ts checks the default path against), and 'auto'
 * never tries SwiftShader, a fallback adapter. One page, events tracked through the API, so
 * HAF loads once per test.
 */
test.beforeEach(async ({ context }) => {
  await flagBoot(context);
  await dedicatedWorkers(context);
});
test.setTimeout(120_000);

type Api = {
  track(e: object): Promise<unknown>;
  info(): Promise<{ wholeDomain?: WholeDomainInfo }>;
  recommend(d: string, k: number): Promise<{ id: string; score: number; reason?: unknown }[]>;
  export(o: object): Promise<{ events: HistoryEvent[] }>;
};

/** Every shop page's tag gets data-whole-domain="value" (the pages are static HTML with the tag pasted in). */
async function wholeDomain(context: BrowserContext, value: string): Promise<void> {
  await context.route(/\/shop\/[\w-]+\.html(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/ data-catalog=/g, ` data-whole-domain="${value}" data-catalog=`);
    await route.fulfill({ response, body });
  });
}

/** Views of the kitchen and food ids through the API, then the tag's info. */
async function shopper(page: Page): Promise<{ wholeDomain?: WholeDomainInfo }> {
  await visit(page, 'kitchen.html', HAF_SHOP);
  return page.evaluate(async ([kitchen, food]) => {
    const api = (window as unknown as { hafrec: Api }).hafrec;
    for (const itemId of kitchen!) await api.track({ type: 'view', itemId, domain: 'kitchen' });
    for (const itemId of food!) await api.track({ type: 'view', itemId, domain: 'food' });
    return api.info();
  }, [KITCHEN, FOOD] as const);
}

async function sameAsNode(page: Page): Promise<void> {
  const events = await page.evaluate(async () => (await (window as unknown as { hafrec: Api }).hafrec.export({ download: false })).events);
  for (const domain of ['kitchen', 'food']) {
    const browser = await page.evaluate(([d]) => (window as unknown as { hafrec: Api }).hafrec.recommend(d!, 10), [domain]);
    const node = await nodeScores(events, domain, 10);
    expect(browser.map((r) => r.id)).toEqual([...node.keys()]);
    for (const r of browser) expect(Math.abs(r.score - node.get(r.id)!), `${domain} ${r.id}`).toBeLessThan(1e-4);
  }
}

test('data-whole-domain="fused": the fused WebGPU pass scores the shop like the normal path, with attention reasons', async ({ page, context }) => {
  await wholeDomain(context, 'fused');
  const info = await shopper(page);
  expect(info.wholeDomain).toEqual({ path: 'fused', reason: 'requested' });
  await sameAsNode(page);
  // Still the fused pass after serving (a lost device would show as 'device-lost').
  expect((await page.evaluate(() => (window as unknown as { hafrec: Api }).hafrec.info())).wholeDomain?.path).toBe('fused');
  // The widget of the next page view: scores and the reasons' attention from the same fused pass.
  await visit(page, 'kitchen.html', HAF_SHOP);
  await expect(widget(page, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
});

test('by default the tag keeps the SIMD pass on SwiftShader (a fallback adapter) without timing the fused one', async ({ page }) => {
  const info = await shopper(page);
  expect(info.wholeDomain).toEqual({ path: 'simd', reason: 'fallback-adapter' });
});

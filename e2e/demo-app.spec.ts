import { readFileSync } from 'node:fs';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { openDemo, recsFor, reloadDemo, SHOTS, storedEvents } from './demo-helpers.ts';
import type { DemoReference } from '../scripts/demo-reference/demo-reference.ts';
import type { EvalReport } from '../src/eval/evaluate.ts';

const reference = JSON.parse(readFileSync('e2e/demo-expected.json', 'utf8')) as DemoReference;

// One context and page for the whole file: the dataset loads once, and the later tests
// (reload, offline) rely on what the earlier ones stored and cached.
test.describe.configure({ mode: 'serial' });
let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('pageerror:', error.message));
});

test.afterAll(async () => {
  await context.close();
});

/** Every metric of every domain of both rankings within `tolerance` (Node and browser wasm may flip near-ties). */
function expectClose(actual: EvalReport, expected: EvalReport, tolerance: number): void {
  expect(actual.model).toBe(expected.model);
  for (const ranking of ['sampled', 'full'] as const) {
    for (const [domain, metrics] of Object.entries(expected[ranking]!)) {
      for (const [name, value] of Object.entries(metrics)) {
        const got = actual[ranking]?.[domain]?.[name as keyof typeof metrics];
        expect(Math.abs(Number(got) - value), `${expected.model} ${ranking} ${domain} ${name}: browser ${got}, Node ${value}`).toBeLessThanOrEqual(tolerance);
      }
    }
  }
}

async function useModel(name: string): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.locator('#set-model').selectOption(name);
  await page.locator('#set-apply').click();
  await expect(page.locator('#model-active')).toContainText(`Active: ${name} on`);
}

test('store: browse, search, view and add to cart are recorded in IndexedDB', async () => {
  await openDemo(page);
  // Default: the shipped HAF weights blended with the co-occurrence prior (the eval's best model).
  await expect(page.locator('#model-badge')).toHaveText(/^haf\+cooccurrence · /);
  await expect(page.locator('#grid article')).toHaveCount(24);
  await expect(page.locator('#result-count')).toContainText('36,298 products');
  await page.locator('#search').fill('cast iron skillet');
  await expect(page.locator('#result-count')).toContainText('match "cast iron skillet"');
  const first = page.locator('#grid article').first();
  await expect(first.locator('.card-title')).toContainText(/cast/i);
  const itemId = (await first.getAttribute('data-item'))!;
  await first.getByRole('button', { name: /^View / }).click();
  await expect(page.locator('#detail-title')).toBeVisible();
  await page.locator('#detail').getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.locator('#cart-count')).toHaveText('Cart: 1');
  await recsFor(page, 1);
  expect(await storedEvents(page)).toEqual([
    expect.objectContaining({ type: 'view', itemId }),
    expect.objectContaining({ type: 'add_to_cart', itemId }),
  ]);
  // A food search in the food domain only.
  await page.getByRole('radio', { name: 'Food' }).click();
  await page.locator('#search').fill('green tea');
  await expect(page.locator('#grid article .badge').first()).toHaveText('food');
  await page.locator('#grid article').first().getByRole('button', { name: /^View / }).click();
  await recsFor(page, 2);
  const kitchen = page.locator('.rec-domain[data-domain="kitchen"] li.rec');
  await expect(kitchen).toHaveCount(8);
  await expect(page.locator('.rec-domain[data-domain="food"] .shared-why')).toContainText(/history drove \d+% of this/);
  await expect(page.locator('.rec-domain[data-domain="kitchen"] .shared-why')).toContainText(/Modalities: id \d+%|Modalities: text \d+%/);
  await expect(page.locator('#recs-meta')).toContainText('haf+cooccurrence on ');
  await expect(page.locator('#recs-meta')).toContainText(/in the worker/);
  await expect(page.locator('#history-list li')).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/store.png` });
});

test('history persists across a reload; item features come from the IndexedDB cache', async () => {
  await reloadDemo(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.locator('#model-active')).toHaveAttribute('data-features', 'cache');
  await expect(page.locator('#model-active')).toContainText('shipped weights');
  await page.getByRole('link', { name: 'Store' }).click();
  await expect(page.locator('#cart-count')).toHaveText('Cart: 1');
  await expect(page.locator('#history-list li')).toHaveCount(3);
  await recsFor(page, 2);
});

test('replaying a real test shopper gives the eval CLI\'s ranks for that shopper', async () => {
  // The reference ranks are co-occurrence's; pick it explicitly (auto prefers HAF when weights ship).
  await useModel('cooccurrence');
  await page.getByRole('link', { name: 'Store' }).click();
  for (const shopper of reference.shoppers.slice(0, 2)) {
    await page.locator('#replay-user').fill(shopper.user);
    await page.locator('#replay').click();
    const rank = page.locator(`#replay-rank[data-user="${shopper.user}"]`);
    await expect(rank).toBeVisible();
    expect(Number(await rank.getAttribute('data-full'))).toBe(shopper.full);
    expect(Number(await rank.getAttribute('data-sampled'))).toBe(shopper.sampled);
  }
  await expect(page.locator('#replay-out')).toContainText('Their real next purchase');
  await page.screenshot({ path: `${SHOTS}/replay.png` });
});

test('insights: domain transfer heatmap and the benchmark table equal the Node numbers', async () => {
  await page.getByRole('link', { name: 'Insights' }).click();
  await expect(page.locator('#heatmap table')).toBeVisible();
  await expect(page.locator('#heatmap td')).toHaveCount(4);
  await page.locator('#bench-limit').fill(String(reference.users));
  await page.locator('#bench-run').click();
  await expect(page.locator('#bench-table')).toContainText('cooccurrence on test');
  const report = JSON.parse((await page.locator('#bench-table').getAttribute('data-report'))!);
  expect(report).toEqual(reference.report);
  await expect(page.locator('#bench-table')).toContainText(`full     overall  ${reference.users}`);
  await page.screenshot({ path: `${SHOTS}/insights.png` });
});

test('shipped HAF and HAF + co-occurrence: the in-browser benchmark matches the CLI in Node', async () => {
  const shipped = reference.shipped!;
  for (const name of ['haf', 'haf+cooccurrence'] as const) {
    await useModel(name);
    await page.locator('#set-measure').click();
    await expect(page.locator('#speed-readout')).toHaveAttribute('data-ms', /\d/);
    console.log(`${name}: ${await page.locator('#speed-readout').textContent()}`);
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.locator('#bench-split').selectOption('test');
    await page.locator('#bench-full').check();
    await page.locator('#bench-limit').fill(String(shipped.users));
    await page.locator('#bench-run').click();
    await expect.poll(async () => JSON.parse((await page.locator('#bench-table').getAttribute('data-report')) ?? '{}').model, { timeout: 60_000 }).toBe(name);
    expectClose(JSON.parse((await page.locator('#bench-table').getAttribute('data-report'))!), shipped.reports[name], shipped.tolerance);
    console.log(`${name}: ${await page.locator('#bench-status').textContent()}`);
  }
  await page.screenshot({ path: `${SHOTS}/insights-haf.png` });
  await page.getByRole('link', { name: 'Store' }).click();
  await page.locator('#replay-user').fill(reference.shoppers[0]!.user);
  await page.locator('#replay').click();
  await expect(page.locator(`#replay-rank[data-user="${reference.shoppers[0]!.user}"]`)).toContainText('(haf+cooccurrence)');
  await expect(page.locator('.rec-domain .shared-why').first()).toContainText('Mattered most');
  console.log(`prior votes shown on ${await page.locator('.why-prior').count()} picks; ${await page.locator('#recs-meta').textContent()}`);
  await page.screenshot({ path: `${SHOTS}/store-blend.png` });
});

test('settings: speed readout, export, consent off stores nothing, delete everything', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.locator('#set-measure').click();
  await expect(page.locator('#speed-readout')).toContainText(/one recommendation .* takes [\d.]+ ms/);
  const download = page.waitForEvent('download');
  await page.locator('#export').click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.format).toBe('hafrec-history');
  expect(exported.events.length).toBeGreaterThan(0);
  await expect(page.locator('#privacy-status')).toContainText(`Exported ${exported.events.length} events`);
  await page.locator('#clip-test').click();
  await expect(page.locator('#clip-status')).toContainText(/titles embedded, dim \d+/, { timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/settings.png` });

  await page.locator('#consent').uncheck();
  await expect(page.locator('#privacy-status')).toContainText('Nothing is recorded');
  expect(await storedEvents(page)).toEqual([]);
  await page.getByRole('link', { name: 'Store' }).click();
  await page.locator('#grid article').first().getByRole('button', { name: /^View / }).click();
  await expect(page.locator('.toast')).toContainText('Not recorded');
  expect(await storedEvents(page)).toEqual([]);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.locator('#consent').check();
  await page.getByRole('link', { name: 'Store' }).click();
  await page.locator('#grid article').first().getByRole('button', { name: /^View / }).click();
  await expect.poll(async () => (await storedEvents(page)).length).toBe(1);
  await page.getByRole('link', { name: 'Settings' }).click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.locator('#delete').click();
  await expect(page.locator('#privacy-status')).toContainText('deleted');
  expect(await storedEvents(page)).toEqual([]);
});

test('offline after the first visit: reload with the network off', async () => {
  const controlled = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === 'activated';
  });
  expect(controlled).toBe(true);
  await context.setOffline(true);
  const fromWorker: string[] = [];
  const track = (response: import('@playwright/test').Response): void => {
    if (response.fromServiceWorker()) fromWorker.push(new URL(response.url()).pathname);
  };
  context.on('response', track);
  try {
    await reloadDemo(page);
    expect(fromWorker.some((path) => /\/assets\/main-.*\.js$/.test(path))).toBe(true);
    // The shipped weights load from the service worker's cache too.
    await expect(page.locator('#model-badge')).toHaveText(/^haf\+cooccurrence · /);
    await page.getByRole('link', { name: 'Store' }).click();
    await page.locator('#search').fill('knife');
    await expect(page.locator('#result-count')).toContainText('match "knife"');
    await page.locator('#grid article').first().getByRole('button', { name: /^View / }).click();
    await recsFor(page, 1);
    await expect(page.locator('.rec-domain[data-domain="kitchen"] li.rec')).toHaveCount(8);
    await page.screenshot({ path: `${SHOTS}/offline.png` });
  } finally {
    context.off('response', track);
    await context.setOffline(false);
  }
});

import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { test, expect, type Page } from '@playwright/test';
import { FOOD, KITCHEN, SHOP, TAG_ASSETS, dedicatedWorkers, flagBoot, openWithTagHeld, ready, shownIds, stored, visit, watch, widget, type Stored, product } from './storefront-helpers.ts';

/** The storefront fixture with the hafrec tag pasted in (storefront-helpers.ts). */
test.beforeEach(async ({ context }) => flagBoot(context));

test('events pushed before the tag loads are stored, in order', async ({ page }) => {
  const release = await openWithTagHeld(page, product(FOOD[0]));
  const queued = await page.evaluate((kitchen) => {
    const queue = (window as unknown as { hafrec: unknown[] }).hafrec;
    queue.push(['track', { type: 'add_to_cart', itemId: kitchen, domain: 'kitchen', props: { qty: 1 } }]);
    queue.push(['track', { type: 'purchase', itemId: kitchen, domain: 'kitchen' }]);
    return Array.isArray(queue) ? queue.length : -1;
  }, KITCHEN[0]!);
  expect(queued).toBe(3);
  release();
  await ready(page);
  expect(await stored(page)).toEqual([
    { type: 'view', itemId: FOOD[0], domain: 'food' },
    { type: 'add_to_cart', itemId: KITCHEN[0], domain: 'kitchen' },
    { type: 'purchase', itemId: KITCHEN[0], domain: 'kitchen' },
  ]);
});

test('an event whose write a navigation cut off is stored by the next page, once', async ({ page }) => {
  await visit(page, product(FOOD[0]));
  // What a page that went away mid-write leaves behind: the event in the pending log only.
  await page.evaluate((kitchen) => {
    const event = { type: 'add_to_cart', itemId: kitchen, domain: 'kitchen', ts: Date.now() };
    localStorage.setItem('hafrec:pending:hafrec', JSON.stringify([{ id: 'cut-off', event }]));
  }, KITCHEN[0]!);
  // A track followed at once by a navigation, the way an add-to-cart link works.
  await page.evaluate(([food, next]) => {
    void (window as unknown as { hafrec: { track(e: object): Promise<unknown> } }).hafrec.track({ type: 'purchase', itemId: food, domain: 'food' });
    location.href = next!;
  }, [FOOD[1]!, `${SHOP}${product(FOOD[2])}`]);
  await page.waitForURL(`**/product.html?id=${FOOD[2]}`);
  await ready(page);
  // The new page replays the pending log while it starts: wait for it to settle, then once each.
  const counts = async (): Promise<number[]> => {
    const events = await stored(page);
    const count = (type: string, itemId: string): number => events.filter((e) => e.type === type && e.itemId === itemId).length;
    return [count('add_to_cart', KITCHEN[0]!), count('purchase', FOOD[1]!), count('view', FOOD[2]!)];
  };
  await expect.poll(counts, { timeout: 10_000 }).toEqual([1, 1, 1]);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('hafrec:pending:hafrec')), { timeout: 10_000 }).toBeNull();
  expect(await counts()).toEqual([1, 1, 1]);
});

test('recommendations appear with reasons, change after views in the other domain, and survive a reload', async ({ page, context }) => {
  const { violations } = watch(context);
  for (const id of KITCHEN) await visit(page, product(id));
  await visit(page, 'kitchen.html');
  const before = await shownIds(page, 'kitchen');
  expect(before).toHaveLength(4);
  expect(before.some((id) => KITCHEN.includes(id))).toBe(false);
  await expect(widget(page, 'kitchen').locator('.reason').first()).toContainText(/^Because you viewed /);

  for (const id of FOOD) await visit(page, product(id));
  await visit(page, 'kitchen.html');
  const after = await shownIds(page, 'kitchen');
  expect(after).toHaveLength(4);
  expect(after).not.toEqual(before);
  const reasons = await widget(page, 'kitchen').locator('.reason').allTextContents();
  const foodTitles = await page.evaluate(async (ids) => {
    const catalog = (await (await fetch('catalog.json')).json()) as { items: { id: string; title: string }[] };
    return catalog.items.filter((i) => ids.includes(i.id)).map((i) => i.title);
  }, FOOD);
  expect(reasons.some((r) => foodTitles.some((t) => r === `Because you viewed ${t}`))).toBe(true);

  await page.reload();
  await ready(page);
  expect((await stored(page)).map((e) => e.itemId)).toEqual([...KITCHEN, ...FOOD]);
  expect(await shownIds(page, 'kitchen')).toEqual(after);
  expect(violations).toEqual([]);
});

test('a widget updates when another tab tracks; two tabs tracking at once lose nothing', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await visit(a, 'kitchen.html');
  const initial = await shownIds(a, 'kitchen');
  await visit(b, product(FOOD[1]));
  await expect.poll(() => shownIds(a, 'kitchen')).not.toEqual(initial);

  const burst = (page: Page, prefix: string) =>
    page.evaluate(async (p) => {
      const api = (window as unknown as { hafrec: { track(e: object): Promise<unknown> } }).hafrec;
      await Promise.all(Array.from({ length: 50 }, (_, i) => api.track({ type: 'click', itemId: `${p}${i}`, domain: 'kitchen' })));
    }, prefix);
  await Promise.all([burst(a, 'a'), burst(b, 'b')]);
  const all = await stored(a);
  expect(all).toHaveLength(101);
  for (const prefix of ['a', 'b']) {
    expect(all.filter((e) => e.itemId.startsWith(prefix)).map((e) => e.itemId).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `${prefix}${i}`).sort(),
    );
  }
});

test('consent false stores nothing and clears; export downloads JSON; delete empties it', async ({ page }) => {
  await visit(page, product(KITCHEN[0]));
  await visit(page, 'privacy.html');
  const download = page.waitForEvent('download');
  await page.click('#export-history');
  const file = await (await download).path();
  const dump = JSON.parse(await readFile(file, 'utf8'));
  expect(dump).toMatchObject({ format: 'hafrec-history', version: 1, consent: { granted: true } });
  expect(dump.events.map((e: Stored) => e.itemId)).toEqual([KITCHEN[0]]);

  await page.click('#forget-history');
  await expect.poll(async () => (await stored(page)).length).toBe(0);
  await visit(page, product(KITCHEN[1]));
  expect(await stored(page)).toHaveLength(1);

  await visit(page, 'privacy.html');
  await page.click('#consent-off');
  await expect.poll(async () => (await stored(page)).length).toBe(0);
  await visit(page, product(FOOD[0]));
  await page.locator('[data-add-to-cart]').click();
  await expect(widget(page, 'food')).toHaveAttribute('data-state', 'ready');
  expect(await stored(page)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { hafrec: { consent(): Promise<boolean> } }).hafrec.consent())).toBe(false);

  await visit(page, 'privacy.html');
  await page.click('#consent-on');
  await visit(page, product(FOOD[1]));
  expect((await stored(page)).map((e) => e.itemId)).toEqual([FOOD[1]]);
});

test('catalog text is rendered as text, never as markup, under the strict CSP', async ({ page, context }) => {
  await dedicatedWorkers(context);
  const { violations } = watch(context);
  const evil = '<img src=x onerror=alert(1)>';
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await context.route('**/shop-cooc/catalog.json', async (route) => {
    const catalog = (await (await route.fetch()).json()) as { items: Record<string, unknown>[] };
    catalog.items = catalog.items.map((item, i) => ({ ...item, title: evil, ...(i % 2 === 0 ? { image: 'shop-logo.svg' } : {}) }));
    await route.fulfill({ json: catalog });
  });
  await visit(page, product(KITCHEN[0]));
  const host = widget(page, 'kitchen');
  await expect(host).toHaveAttribute('data-state', 'ready');
  const cards = await host.evaluate((el) =>
    [...el.shadowRoot!.querySelectorAll('li')].map((li) => ({
      title: li.querySelector('.title')!.textContent,
      reason: li.querySelector('.reason')?.textContent ?? null,
      imgs: [...li.querySelectorAll('img')].map((img) => img.getAttribute('src')),
    })),
  );
  expect(cards).toHaveLength(4);
  for (const card of cards) {
    expect(card.title).toBe(evil);
    expect(card.imgs.every((src) => src !== 'x' && src!.endsWith('/shop-cooc/shop-logo.svg'))).toBe(true);
    if (card.reason !== null) expect(card.reason).toBe(`Because you viewed ${evil}`);
  }
  expect(cards.some((c) => c.imgs.length === 1)).toBe(true);
  expect(cards.some((c) => c.imgs.length === 0)).toBe(true);
  expect(dialogs).toEqual([]);

  // Styles came through the constructable stylesheet (no inline style under this CSP) and are themable.
  const card = host.locator('li.card').first();
  await expect(card).toHaveCSS('border-top-left-radius', '8px');
  await host.evaluate((el) => (el as HTMLElement).style.setProperty('--hafrec-card-radius', '3px'));
  await expect(card).toHaveCSS('border-top-left-radius', '3px');
  expect(violations).toEqual([]);
});

test('after one visit, recommendations work with the catalog and model unreachable (offline cache)', async ({ page, context }) => {
  await dedicatedWorkers(context);
  await visit(page, product(KITCHEN[0]));
  await expect(widget(page, 'kitchen')).toHaveAttribute('data-state', 'ready');
  const blocked: string[] = [];
  await context.route(/\/shop-cooc\/(catalog|model)\.json$/, (route) => {
    blocked.push(new URL(route.request().url()).pathname);
    return route.abort('internetdisconnected');
  });
  // The kitchen page is static HTML (a product page needs catalog.json to render itself).
  await visit(page, 'kitchen.html');
  const ids = await shownIds(page, 'kitchen');
  expect(ids).toHaveLength(4);
  await expect(widget(page, 'kitchen').locator('.reason').first()).toContainText('Because you viewed');
  expect(blocked.sort()).toEqual(['/shop-cooc/catalog.json', '/shop-cooc/model.json']);
});

test('the tag stays within its 15 KB gzip budget and holds no model code', async () => {
  const tag = await readFile('dist/embed.js');
  expect(gzipSync(tag, { level: 9 }).length).toBeLessThan(15 * 1024);
  expect(tag.toString()).not.toMatch(/@tensorflow|tfjs-core|onnxruntime|@huggingface\/transformers/);
});

test('no request leaves the origin and none carries the history', async ({ page, context }) => {
  await dedicatedWorkers(context);
  const { requests } = watch(context);
  for (const id of [...KITCHEN, ...FOOD]) await visit(page, product(id));
  await page.locator('[data-add-to-cart]').click();
  await visit(page, 'index.html');
  await expect(widget(page, 'kitchen')).toHaveAttribute('data-state', 'ready');
  await expect(widget(page, 'food')).toHaveAttribute('data-state', 'ready');
  const origin = new URL(page.url()).origin;
  const tagRequests = new Set<string>();
  for (const request of requests) {
    const url = new URL(request.url());
    expect(url.origin, request.url()).toBe(origin);
    expect(request.method(), request.url()).toBe('GET');
    // Only the shop's own product links carry a query (the item id); the tag's requests never do.
    if (!request.isNavigationRequest()) expect(url.search, request.url()).toBe('');
    expect(request.postData(), request.url()).toBeNull();
    const pageAsset = request.isNavigationRequest() || /^\/shop-cooc\/(shop\.(js|css)|favicon\.ico)$/.test(url.pathname) || url.pathname === '/favicon.ico';
    // Code chunks the worker build shares between its entry and its lazy `haf` kind.
    const sharedChunk = /^\/embed-chunks\/[\w-]+\.js$/.test(url.pathname);
    if (!pageAsset && !sharedChunk) tagRequests.add(url.pathname);
    // A co-occurrence shop never downloads the HAF runtime, tfjs or its wasm binaries.
    expect(url.pathname, 'lazy HAF code fetched by a cooccurrence shop').not.toMatch(/haf-runtime|haf-browser-backend|\.wasm$/);
  }
  // The tag fetched exactly its own static assets: no endpoint exists for history to go to.
  expect([...tagRequests].sort()).toEqual([...TAG_ASSETS].sort());
});

import { test, expect, type Page } from '@playwright/test';
import { FOOD, KITCHEN, SHOP, flagBoot, ready, visit, product } from './storefront-helpers.ts';
import { addRawEvents, callApi, rawEventStats, withTagAttributes, type RawEvent } from './reliability-helpers.ts';

/** The shop under volume and many tabs: nothing lost, nothing stored twice (docs/reliability.md). */
test.beforeEach(async ({ context }) => flagBoot(context));

const DAY = 86_400_000;
const pendingEntries = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('hafrec:pending:hafrec'))
      .reduce((sum, key) => sum + (JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[]).length, 0),
  );

test('with data-max-events 200000, 100,000 events and a two-year-old one survive a reload and a recommendation', async ({ page }) => {
  test.setTimeout(240_000);
  await withTagAttributes(page, { 'data-max-events': '200000', 'data-max-age-days': '3650' });
  await visit(page, 'kitchen.html');
  const now = Date.now();
  const ids = [...KITCHEN, ...FOOD];
  const events: RawEvent[] = Array.from({ length: 100_000 }, (_, i) => ({
    type: 'view',
    itemId: ids[i % ids.length]!,
    domain: i % ids.length < KITCHEN.length ? 'kitchen' : 'food',
    ts: now - (100_000 - i) * 1000,
  }));
  events.unshift({ type: 'purchase', itemId: KITCHEN[0]!, domain: 'kitchen', ts: now - 730 * DAY });
  for (let start = 0; start < events.length; start += 25_000) await addRawEvents(page, events.slice(start, start + 25_000));
  expect(await rawEventStats(page)).toEqual({ count: 100_001, oldestTs: now - 730 * DAY });

  await page.reload();
  await ready(page);
  const recommended = await callApi(page, 'recommend', 'kitchen', 4);
  expect(recommended.ok).toBe(true);
  expect(recommended.value).toHaveLength(4);
  expect(await rawEventStats(page)).toEqual({ count: 100_001, oldestTs: now - 730 * DAY });
});

test('a tab opened while another tracks a burst stores none of its events twice', async ({ context }) => {
  const a = await context.newPage();
  await visit(a, 'kitchen.html');
  // Hold the events store in a long transaction so that the burst stays in flight (in the
  // pending log, not committed) while the second tab opens and replays what it finds there.
  await a.evaluate(
    () =>
      new Promise<void>((holding) => {
        const open = indexedDB.open('hafrec');
        open.onsuccess = () => {
          const tx = open.result.transaction('events', 'readwrite');
          const until = Date.now() + 4000;
          const spin = (): void => {
            holding();
            if (Date.now() < until) tx.objectStore('events').count().onsuccess = spin;
          };
          tx.objectStore('events').count().onsuccess = spin;
          tx.oncomplete = () => open.result.close();
        };
      }),
  );
  await a.evaluate(() => {
    const api = (window as unknown as { hafrec: { track(e: object): Promise<unknown> } }).hafrec;
    (window as unknown as { burst: Promise<unknown> }).burst = Promise.all(
      Array.from({ length: 1000 }, (_, i) => api.track({ type: 'click', itemId: `burst-${i}`, domain: 'kitchen' })),
    );
  });
  await expect.poll(() => pendingEntries(a)).toBeGreaterThanOrEqual(200);
  const b = await context.newPage();
  await visit(b, product(FOOD[0]));
  await a.evaluate(() => (window as unknown as { burst: Promise<unknown> }).burst);
  const stored = await b.evaluate(async () => {
    const api = (window as unknown as { hafrec: { export(o: object): Promise<{ events: { itemId: string }[] }> } }).hafrec;
    return (await api.export({ download: false })).events.map((e) => e.itemId).filter((id) => id.startsWith('burst-'));
  });
  expect(stored).toHaveLength(1000);
  expect(new Set(stored).size).toBe(1000);
});

test('an invalid consent argument changes nothing: 200 tracks then a navigation store all 200', async ({ page }) => {
  await visit(page, product(FOOD[0]));
  const refused = [];
  for (const bad of ['no', 0, null]) refused.push(await callApi(page, 'consent', bad));
  await page.evaluate((next) => {
    const api = (window as unknown as { hafrec: { track(e: object): Promise<unknown> } }).hafrec;
    for (let i = 0; i < 200; i++) void api.track({ type: 'add_to_cart', itemId: `nav-${i}`, domain: 'food' }).catch(() => undefined);
    location.href = next;
  }, `${SHOP}${product(FOOD[1])}`);
  await page.waitForURL(`**/product.html?id=${FOOD[1]}`);
  await ready(page);
  const ids = await page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { export(o: object): Promise<{ events: { itemId: string }[] }> } }).hafrec;
    return (await api.export({ download: false })).events.map((e) => e.itemId).filter((id) => id.startsWith('nav-'));
  });
  expect(ids.sort()).toEqual(Array.from({ length: 200 }, (_, i) => `nav-${i}`).sort());
  for (const result of refused) {
    expect(result).toMatchObject({ ok: false, name: 'InvalidConsentError' });
    expect(result.message).toMatch(/consent must be true or false .*nothing was changed/);
  }
  expect(await callApi(page, 'consent')).toEqual({ ok: true, value: true });
});

import { test, expect, type Page } from '@playwright/test';
import { FOOD, KITCHEN, flagBoot, openWithTagHeld, ready, visit, widget, product } from './storefront-helpers.ts';
import { callApi, rawDump, withTagAttributes } from './reliability-helpers.ts';

/** The tag against bad input, old databases, pending consent and a full disk (docs/reliability.md). */
test.beforeEach(async ({ context }) => flagBoot(context));

const exportedIds = (page: Page) =>
  page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { export(o: object): Promise<{ events: { itemId: string }[] }> } }).hafrec;
    return (await api.export({ download: false })).events.map((e) => e.itemId);
  });

test('every bad field is a clear typed error and changes nothing', async ({ page }) => {
  await withTagAttributes(page, { 'data-max-events': '3' });
  await visit(page, product(FOOD[0]));
  for (const id of KITCHEN) expect((await callApi(page, 'track', { type: 'view', itemId: id, domain: 'kitchen' })).ok).toBe(true);
  const before = await exportedIds(page);
  expect(before).toHaveLength(3);
  const outcomes = await page.evaluate(async () => {
    const api = (window as unknown as { hafrec: Record<string, (...a: unknown[]) => Promise<unknown>> }).hafrec;
    const view = { type: 'view', domain: 'food' };
    const calls: [string, () => Promise<unknown>][] = [
      ['itemId NaN', () => api.track!({ ...view, itemId: NaN })],
      ['itemId Infinity', () => api.track!({ ...view, itemId: Infinity })],
      ['props.__proto__', () => api.track!({ ...view, itemId: '149', props: JSON.parse('{"__proto__": 1}') })],
      ['ts 1e300', () => api.track!({ ...view, itemId: '149', ts: 1e300 })],
      ['ts older than every kept event', () => api.track!({ ...view, itemId: '149', ts: Date.now() - 86_400_000 })],
      ['ts older than the retention age', () => api.track!({ ...view, itemId: '149', ts: Date.now() - 400 * 86_400_000 })],
      ['k NaN', () => api.recommend!('food', NaN)],
      ['k "abc"', () => api.recommend!('food', 'abc')],
      ['k -3', () => api.recommend!('food', -3)],
      ['k 2.5', () => api.recommend!('food', 2.5)],
    ];
    const out: Record<string, string> = {};
    for (const [label, call] of calls) {
      out[label] = await call().then(
        () => 'accepted',
        (error: Error) => `${error.name}: ${error.message}`,
      );
    }
    return out;
  });
  expect(outcomes).toEqual({
    'itemId NaN': expect.stringMatching(/^InvalidEventError: invalid event: "itemId" must be a non-empty string or a finite number \(got NaN\)/),
    'itemId Infinity': expect.stringMatching(/^InvalidEventError: .*"itemId" .*finite number \(got Infinity\)/),
    'props.__proto__': expect.stringMatching(/^InvalidEventError: .*"props.__proto__" is a reserved name/),
    'ts 1e300': expect.stringMatching(/^InvalidEventError: .*"ts" must not be more than 24 hours ahead/),
    'ts older than every kept event': expect.stringMatching(/^InvalidEventError: .*"ts" is older than each of the 3 newest events .*nothing was stored/),
    'ts older than the retention age': expect.stringMatching(/^InvalidEventError: .*"ts" is older than the 365 days/),
    'k NaN': expect.stringMatching(/^InvalidRequestError: recommend\(domain, k\): "k" must be an integer from 1 to 100 \(got NaN\)/),
    'k "abc"': expect.stringMatching(/^InvalidRequestError: .*\(got "abc"\)/),
    'k -3': expect.stringMatching(/^InvalidRequestError: .*\(got -3\)/),
    'k 2.5': expect.stringMatching(/^InvalidRequestError: .*\(got 2.5\)/),
  });
  expect(await exportedIds(page)).toEqual(before);
});

test('an error raised in the worker reaches the page as the same typed error, with its code and fields', async ({ page }) => {
  await visit(page, product(FOOD[0]));
  await ready(page);
  const error = await page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { recommend(d: string, k: number): Promise<unknown> } }).hafrec;
    return api.recommend('toys', 4).then(
      () => undefined,
      (e: Error & { code?: string; domain?: string; valid?: string[] }) => ({ name: e.name, code: e.code, domain: e.domain, valid: e.valid, isError: e instanceof Error }),
    );
  });
  expect(error).toEqual({ name: 'UnknownDomainError', code: 'hafrec/unknown-domain', domain: 'toys', valid: ['food', 'kitchen'], isError: true });
});

/** Creates database "hafrec" exactly as schema version `version` did, with records in every store. */
async function writeOldDatabase(page: Page, version: 1 | 2): Promise<void> {
  await page.evaluate(
    ([v, kitchen]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('hafrec', v);
        open.onupgradeneeded = () => {
          const db = open.result;
          const events = db.createObjectStore('events', { keyPath: 'seq', autoIncrement: true });
          events.createIndex('by-ts', 'ts');
          db.createObjectStore('settings', { keyPath: 'key' });
          if (v < 2) return;
          events.createIndex('by-domain-ts', ['domain', 'ts']);
          events.createIndex('by-item', 'itemId');
          db.createObjectStore('items', { keyPath: ['catalog', 'id'] }).createIndex('by-catalog-position', ['catalog', 'position']);
          db.createObjectStore('features', { keyPath: ['catalog', 'modality', 'encoder'] });
          db.createObjectStore('models', { keyPath: 'key' });
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction([...db.objectStoreNames], 'readwrite');
          const now = Date.now();
          for (let i = 0; i < 3; i++) tx.objectStore('events').add({ type: 'view', itemId: kitchen[i % 2], domain: 'kitchen', ts: now - 3000 + i * 1000, props: { i } });
          tx.objectStore('settings').put(v < 2 ? { key: 'consent', value: true } : { key: 'consent', granted: true, updatedAt: 7 });
          if (v >= 2) {
            const item = { id: 'old-1', domain: 'food', title: 'Old item' };
            tx.objectStore('items').put({ catalog: 'https://old.example/catalog.json', id: 'old-1', position: 0, item });
            tx.objectStore('features').put({ catalog: 'https://old.example/catalog.json', modality: 'text', encoder: 'lexical-v1-d256', dim: 2, vectors: new Float32Array([0, 0, 1, 0]), present: new Uint8Array([0, 1]) });
            tx.objectStore('models').put({ key: 'https://old.example/model.json', manifest: { kind: 'popularity' }, weights: [], savedAt: 7 });
          }
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    [version, KITCHEN] as const,
  );
}

for (const version of [1, 2] as const) {
  test(`a database written at schema version ${version}, with data in every store, upgrades with 0 records lost`, async ({ page }) => {
    const release = await openWithTagHeld(page, 'kitchen.html');
    await writeOldDatabase(page, version);
    const before = await rawDump(page);
    release();
    await ready(page);
    await expect(widget(page, 'kitchen')).toHaveAttribute('data-state', 'ready');
    const after = await rawDump(page);
    expect(after.version).toBe(3);
    expect(after.indexes.events!.sort()).toEqual(['by-domain-ts', 'by-id', 'by-item', 'by-ts']);
    expect(after.stores.events).toEqual(before.stores.events);
    expect(after.stores.settings).toEqual([{ key: 'consent', granted: true, updatedAt: version === 1 ? 0 : 7 }]);
    for (const store of ['items', 'features', 'models']) {
      for (const record of before.stores[store] ?? []) expect(after.stores[store]).toContainEqual(record);
    }
    expect((await callApi(page, 'track', { type: 'view', itemId: FOOD[0], domain: 'food' })).ok).toBe(true);
    expect((await rawDump(page)).stores.events).toHaveLength(4);
  });
}

test('with consent pending, nothing is stored: no events and no cached catalog or model', async ({ page }) => {
  await withTagAttributes(page, { 'data-consent': 'pending' });
  await visit(page, product(FOOD[0]));
  await expect(widget(page, 'food')).toHaveAttribute('data-state', 'ready');
  const pending = await rawDump(page);
  for (const store of ['events', 'items', 'features', 'models']) expect(pending.stores[store], store).toEqual([]);
  expect(await callApi(page, 'consent', true)).toEqual({ ok: true, value: true });
  await visit(page, product(FOOD[1]));
  await expect(widget(page, 'food')).toHaveAttribute('data-state', 'ready');
  const granted = await rawDump(page);
  expect(granted.stores.events).toHaveLength(1);
  // The catalog's offline copy: its response bytes, one record of the models cache store.
  expect(granted.stores.models!.length).toBeGreaterThan(0);
});

test('storage full: StorageFullError, nothing already stored is lost, the widget keeps working', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  // A small quota for the shop's origin, set before the first visit (Chromium applies it to
  // databases opened afterwards): about 100 events of 2 KB beyond the cached catalog.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 600_000 });
  await visit(page, 'kitchen.html');
  await expect(widget(page, 'kitchen')).toHaveAttribute('data-state', 'ready');
  const run = await page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { track(e: object): Promise<{ itemId: string } | undefined> } }).hafrec;
    const stored: string[] = [];
    // Random text: IndexedDB compresses its values, and a repeated letter would take no room.
    const pad = () => Array.from({ length: 100 }, () => Math.random().toString(36).slice(2, 21)).join('');
    for (let i = 0; i < 3000; i++) {
      try {
        stored.push((await api.track({ type: 'view', itemId: `q-${i}`, domain: 'kitchen', props: { pad: pad() } }))!.itemId);
      } catch (error) {
        return { stored, error: `${(error as Error).name}: ${(error as Error).message}`, failed: `q-${i}` };
      }
    }
    return { stored, error: undefined, failed: undefined };
  });
  expect(run.error).toMatch(/^StorageFullError: storage is full: could not store a "view" event even after pruning/);
  expect(run.stored.length).toBeGreaterThan(10);
  test.info().annotations.push({ type: 'events stored before StorageFullError', description: String(run.stored.length) });
  const ids = (await exportedIds(page)).filter((id) => id.startsWith('q-'));
  expect(ids).toEqual(run.stored);
  expect(ids).not.toContain(run.failed);
  // Still full: recommendations need no write.
  await visit(page, product(FOOD[0]));
  await expect(widget(page, 'food')).toHaveAttribute('data-state', 'ready');
  expect((await exportedIds(page)).filter((id) => id.startsWith('q-'))).toEqual(run.stored);
});

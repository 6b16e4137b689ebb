import { test, expect } from '@playwright/test';
import { FOOD, SHOP, flagBoot, openWithTagHeld, ready, widget, product } from './storefront-helpers.ts';

test.beforeEach(async ({ context }) => flagBoot(context));

/** Databases the tag cannot use, as another app or a newer hafrec could have left them. */
const UNUSABLE = [
  { error: 'StoreVersionError', version: 99, store: 'events', message: /is at version 99, newer than this code supports/ },
  { error: 'StoreCorruptError', version: 3, store: 'legacy-events', message: /missing at version 3; it was left as it is, nothing was deleted/ },
] as const;

for (const unusable of UNUSABLE) {
  test(`an unusable database (${unusable.error}): typed errors, a quiet widget, the data left as it was`, async ({ page }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const paths: string[] = [];
    page.on('request', (request) => paths.push(new URL(request.url()).pathname));
    const release = await openWithTagHeld(page, product(FOOD[0]));
    await page.evaluate(async ({ version, store }) => {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('hafrec', version);
        request.onupgradeneeded = () => void request.result.createObjectStore(store, { keyPath: 'seq' }).put({ seq: 1, itemId: 'kept' });
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      });
      const w = window as unknown as { hafrec: unknown[]; readyOutcome: Promise<string> };
      w.readyOutcome = new Promise((resolve) =>
        w.hafrec.push(['ready', () => resolve('ready'), (error: Error) => resolve(error.name)]),
      );
    }, unusable);
    release();
    await ready(page);

    const outcome = await page.evaluate(async () => {
      type Api = Record<'track' | 'recommend' | 'export' | 'forget', (...args: unknown[]) => Promise<unknown>> & {
        state: string;
        error: Error;
        ready: Promise<unknown>;
      };
      const w = window as unknown as { hafrec: Api; readyOutcome: Promise<string> };
      const api = w.hafrec;
      const settle = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
      return {
        state: api.state,
        error: `${api.error.name}: ${api.error.message}`,
        queuedReady: await w.readyOutcome,
        calls: [
          await settle(api.ready),
          await settle(api.track({ type: 'view', itemId: '210', domain: 'food' })),
          await settle(api.recommend('food', 4)),
          await settle(api.export({ download: false })),
          await settle(api.forget()),
        ],
      };
    });
    expect(outcome.state).toBe('error');
    expect(outcome.error).toMatch(new RegExp(`^${unusable.error}: `));
    expect(outcome.error).toMatch(unusable.message);
    expect(outcome.queuedReady).toBe(unusable.error);
    expect(outcome.calls).toEqual(Array(5).fill(outcome.error));

    for (const domain of ['food', 'kitchen']) {
      await expect(widget(page, domain)).toHaveAttribute('data-state', 'error');
      await expect(widget(page, domain)).toHaveAttribute('data-error', unusable.error);
      await expect(widget(page, domain)).toBeHidden();
    }
    // The rest of the page works as before.
    await expect(page.locator('h1')).toBeVisible();
    await page.locator('[data-add-to-cart]').click();
    await expect(page.locator('[data-add-to-cart]')).toHaveText('Added to cart');
    await page.goto(`${SHOP}privacy.html`);
    await ready(page);
    await page.click('#forget-history');
    await expect(page.locator('#privacy-status')).toContainText(`Could not delete your history: database "hafrec"`);

    const left = await page.evaluate(
      () =>
        new Promise<{ version: number; stores: string[]; records: unknown[] }>((resolve, reject) => {
          const request = indexedDB.open('hafrec');
          request.onsuccess = () => {
            const db = request.result;
            const stores = [...db.objectStoreNames];
            const read = db.transaction(stores[0]!).objectStore(stores[0]!).getAll();
            read.onsuccess = () => {
              db.close();
              resolve({ version: db.version, stores, records: read.result });
            };
          };
          request.onerror = () => reject(request.error);
        }),
    );
    expect(left).toEqual({ version: unusable.version, stores: [unusable.store], records: [{ seq: 1, itemId: 'kept' }] });
    expect(pageErrors).toEqual([]);
    expect(paths).not.toContain('/embed-worker.js');
  });
}

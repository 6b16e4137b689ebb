import { expect, type Page } from '@playwright/test';

/** Screenshots of each view (ignored by git). */
export const SHOTS = 'e2e/artifacts/demo';

/** Opens the demo without waiting for `load` (top-level await) and waits for its ready signal. */
export async function openDemo(page: Page, hash = ''): Promise<void> {
  await page.goto(`./${hash}`, { waitUntil: 'commit' });
  await waitReady(page);
}

/** A real reload (a new document), then the ready signal. */
export async function reloadDemo(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { beforeReload: boolean }).beforeReload = true);
  await page.reload({ waitUntil: 'commit' });
  await waitReady(page);
  expect(await page.evaluate(() => 'beforeReload' in window)).toBe(false);
}

async function waitReady(page: Page): Promise<void> {
  await expect(page.locator('body[data-ready]')).toBeAttached({ timeout: 60_000 });
  expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');
}

/** Waits until the recommendations reflect a history of `length` items. */
export async function recsFor(page: Page, length: number, timeout?: number): Promise<void> {
  await expect(page.locator(`#recs[data-history-length="${length}"]`)).toBeAttached(timeout === undefined ? {} : { timeout });
}

export async function storedEvents(page: Page): Promise<{ type: string; itemId: string }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('hafrec-demo');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('events').objectStore('events').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as { type: string; itemId: string }[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

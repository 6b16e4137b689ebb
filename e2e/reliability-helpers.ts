import type { Page } from '@playwright/test';

/**
 * Helpers of the reliability specs: shop pages with other tag attributes, and raw IndexedDB
 * reads and writes that go around the tag (what a test needs to set up volume or old schemas).
 */

/** Serves every shop page with `attributes` added to the hafrec script tag (e.g. data-max-events). */
export async function withTagAttributes(page: Page, attributes: Record<string, string>): Promise<void> {
  const extra = Object.entries(attributes).map(([name, value]) => ` ${name}="${value}"`).join('');
  await page.route(/\/shop(-cooc)?\/[^?]*\.html(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<script async src="../embed.js"', `<script async src="../embed.js"${extra}`).replace(
      '<script async src="../../embed.js"',
      `<script async src="../../embed.js"${extra}`,
    );
    await route.fulfill({ response, body });
  });
}

export interface RawEvent {
  readonly type: string;
  readonly itemId: string;
  readonly domain: string;
  readonly ts: number;
  readonly id?: string;
}

/** Adds events straight into the `events` store of database `db` (already created by the tag), in one transaction. */
export async function addRawEvents(page: Page, events: readonly RawEvent[], db = 'hafrec'): Promise<void> {
  await page.evaluate(
    ([list, name]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const conn = open.result;
          const tx = conn.transaction('events', 'readwrite');
          for (const event of list) tx.objectStore('events').add(event);
          tx.oncomplete = () => (conn.close(), resolve());
          tx.onerror = () => (conn.close(), reject(tx.error));
        };
      }),
    [events, db] as const,
  );
}

/** Every record of every store of database `db`, read without the tag (store name -> records). */
export async function rawDump(page: Page, db = 'hafrec'): Promise<{ version: number; stores: Record<string, unknown[]>; indexes: Record<string, string[]> }> {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const conn = open.result;
          const names = [...conn.objectStoreNames];
          const tx = conn.transaction(names);
          const stores: Record<string, unknown[]> = {};
          const indexes: Record<string, string[]> = {};
          for (const store of names) {
            indexes[store] = [...tx.objectStore(store).indexNames];
            const all = tx.objectStore(store).getAll();
            all.onsuccess = () => (stores[store] = all.result);
          }
          tx.oncomplete = () => (conn.close(), resolve({ version: conn.version, stores, indexes }));
          tx.onerror = () => (conn.close(), reject(tx.error));
        };
      }),
    db,
  );
}

/** How many events database `db` holds, and its oldest event's timestamp. */
export async function rawEventStats(page: Page, db = 'hafrec'): Promise<{ count: number; oldestTs: number | undefined }> {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const conn = open.result;
          const tx = conn.transaction('events');
          const count = tx.objectStore('events').count();
          const oldest = tx.objectStore('events').index('by-ts').openCursor();
          let oldestTs: number | undefined;
          oldest.onsuccess = () => (oldestTs = (oldest.result?.value as { ts?: number } | undefined)?.ts);
          tx.oncomplete = () => (conn.close(), resolve({ count: count.result, oldestTs }));
          tx.onerror = () => (conn.close(), reject(tx.error));
        };
      }),
    db,
  );
}

/** Calls a method of window.hafrec in the page; resolves `{ok, value}` or `{ok: false, name, message}`. */
export async function callApi(page: Page, method: string, ...args: unknown[]): Promise<{ ok: boolean; value?: unknown; name?: string; message?: string }> {
  return page.evaluate(
    async ([name, list]) => {
      const api = (window as unknown as { hafrec: Record<string, (...a: unknown[]) => Promise<unknown>> }).hafrec;
      try {
        return { ok: true, value: await api[name]!(...list) };
      } catch (error) {
        return { ok: false, name: (error as Error).name, message: (error as Error).message };
      }
    },
    [method, args] as const,
  );
}

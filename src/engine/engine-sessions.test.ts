import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { SessionPool } from './engine-sessions.ts';
import type { WorkerConfig } from './protocol.ts';

/** A shop on a fake network: files by URL with an ETag each; `offline` makes every request fail. */
function fakeShop() {
  const files = new Map<string, { body: string; etag?: string }>();
  const state = { offline: false, requests: 0 };
  const fetchImpl = (async (input: RequestInfo | URL) => {
    state.requests++;
    if (state.offline) throw new TypeError('Failed to fetch');
    const url = String(input);
    const file = files.get(url);
    if (!file) return new Response('missing', { status: 404 });
    return new Response(file.body, { headers: { 'content-type': 'application/json', ...(file.etag ? { etag: file.etag } : {}) } });
  }) as typeof fetch;
  const publish = (items: { id: string; domain: string }[], etag?: string) => {
    files.set('https://shop.example/catalog.json', { body: JSON.stringify(items), ...(etag ? { etag } : {}) });
    const model = { format: 'hafrec-model', version: 1, kind: 'popularity', ids: items.map((i) => i.id), popularity: [0, ...items.map((_, n) => n + 1)] };
    files.set('https://shop.example/model.json', { body: JSON.stringify(model), ...(etag ? { etag: `m-${etag}` } : {}) });
  };
  return { fetchImpl, publish, state };
}

let db = 0;
const configFor = (): WorkerConfig => ({
  catalogUrl: 'https://shop.example/catalog.json',
  modelUrl: 'https://shop.example/model.json',
  dbName: `sessions-test-${++db}`,
  retention: {},
  defaultConsent: true,
});
const ITEMS = [{ id: 'a', domain: 'food' }, { id: 'b', domain: 'kitchen' }];

/** Lets the background revalidation (a few awaited fetches and a new session) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('SessionPool (the engine a shared worker keeps across page views)', () => {
  it('starts a session once and hands it to the next page warm', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS, 'v1');
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    const first = await pool.open(config);
    expect(first.warm).toBe(false);
    const second = await pool.open(config);
    expect(second.warm).toBe(true);
    expect(second.value).toBe(first.value);
    expect(first.value.info.items).toBe(2);
  });

  it('keeps the session while the catalog and model are unchanged, and replaces it when the shop publishes a new catalog', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS, 'v1');
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    const old = (await pool.open(config)).value;
    await pool.open(config);
    await settle();
    expect(await pool.use(config, async (s) => s)).toBe(old);

    const disposed = vi.spyOn(old.recommender, 'dispose');
    shop.publish([...ITEMS, { id: 'c', domain: 'food' }], 'v2');
    await pool.open(config);
    await settle();
    const next = await pool.use(config, async (s) => s);
    expect(next).not.toBe(old);
    expect(next.info.items).toBe(3);
    expect(disposed).toHaveBeenCalledTimes(1);
  });

  it('disposes a replaced session only after the request still using it has finished', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS, 'v1');
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    const old = (await pool.open(config)).value;
    const disposed = vi.spyOn(old.recommender, 'dispose');
    let finish!: () => void;
    const running = pool.use(config, (s) => new Promise<number>((resolve) => (finish = () => resolve(s.info.items))));
    shop.publish([...ITEMS, { id: 'c', domain: 'food' }], 'v2');
    await pool.open(config);
    await settle();
    expect((await pool.use(config, async (s) => s)).info.items).toBe(3);
    expect(disposed).not.toHaveBeenCalled();
    finish();
    expect(await running).toBe(2);
    expect(disposed).toHaveBeenCalledTimes(1);
  });

  it('notices a changed catalog by its bytes when the server sends no ETag', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS);
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    const old = (await pool.open(config)).value;
    shop.publish([...ITEMS, { id: 'c', domain: 'food' }]);
    await pool.open(config);
    await settle();
    expect((await pool.use(config, async (s) => s)).info.items).toBe(3);
    expect(old.versions.catalog).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps serving the loaded session when the network is gone', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS, 'v1');
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    const old = (await pool.open(config)).value;
    shop.state.offline = true;
    expect((await pool.open(config)).warm).toBe(true);
    await settle();
    expect(await pool.use(config, async (s) => s)).toBe(old);
  });

  it('forgets a session that failed to start, so the next page tries again', async () => {
    const shop = fakeShop();
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    await expect(pool.open(config)).rejects.toThrow(/HTTP 404/);
    shop.publish(ITEMS, 'v1');
    const retry = await pool.open(config);
    expect(retry.warm).toBe(false);
    expect(retry.value.info.items).toBe(2);
  });

  it('re-reads consent for every task, so a shopper who withdrew it gets no new offline copies', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS, 'v1');
    const pool = new SessionPool(shop.fetchImpl);
    const config = configFor();
    const session = (await pool.open(config)).value;
    expect(session.cache.save).toBe(true);
    await session.store.setConsent(false);
    expect(await pool.use(config, async (s) => s.cache.save)).toBe(false);
  });
});

describe('SessionPool and consent given after the engine loaded', () => {
  it('loads again on the next page once the shopper consents, so the offline copies get written', async () => {
    const shop = fakeShop();
    shop.publish(ITEMS, 'v1');
    const pool = new SessionPool(shop.fetchImpl);
    const config = { ...configFor(), defaultConsent: false };
    const before = (await pool.open(config)).value;
    expect(before.cache.save).toBe(false);
    expect(await before.cache.assets.readFileCopy(config.catalogUrl)).toBeUndefined();
    await before.store.setConsent(true);
    // A request of the page that consented: the session now saves what it fetches from here on.
    expect(await pool.use(config, async (s) => s.cache.save)).toBe(true);
    const after = await pool.open(config);
    expect(after.warm).toBe(false);
    expect(after.value).not.toBe(before);
    await settle();
    expect(await after.value.cache.assets.readFileCopy(config.catalogUrl)).toBeDefined();
    expect((await pool.open(config)).warm).toBe(true);
  });
});

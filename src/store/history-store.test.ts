import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openHistoryStore, type HistoryStore } from './history-store.ts';
import { InvalidEventError, StorageFullError } from './errors.ts';
import type { StoreChange } from './change-channel.ts';

let n = 0;
const freshName = () => `history-test-${++n}-${Math.random().toString(36).slice(2)}`;
const opened: HistoryStore[] = [];
async function open(options: Partial<Parameters<typeof openHistoryStore>[0]> = {}): Promise<HistoryStore> {
  const store = await openHistoryStore({ name: freshName(), broadcast: false, retention: {}, ...options });
  opened.push(store);
  return store;
}
afterEach(() => {
  vi.restoreAllMocks();
  opened.splice(0).forEach((s) => s.close());
});

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('tracking', () => {
  it('validates events with errors naming the field and what is valid', async () => {
    const store = await open();
    const bad: [unknown, RegExp][] = [
      [null, /"event" must be an object/],
      [{ type: 'look', itemId: '1', domain: 'food' }, /"type" must be one of view, click, add_to_cart/],
      [{ type: 'view', itemId: '', domain: 'food' }, /"itemId" must be a non-empty string or a number/],
      [{ type: 'view', itemId: '1' }, /"domain" must be a non-empty string/],
      [{ type: 'view', itemId: '1', domain: 'food', ts: -5 }, /"ts" must be a positive finite number/],
      [{ type: 'view', itemId: '1', domain: 'food', props: { a: {} } }, /"props.a" must be a string/],
      [{ type: 'view', itemId: '1', domain: 'food', user: 'x' }, /"user" is not a known field; valid fields are id, type/],
    ];
    for (const [input, message] of bad) {
      const error = await store.track(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await store.count()).toBe(0);
  });

  it('stores events in order and answers by domain and most recent', async () => {
    let t = 1_000_000;
    const store = await open({ now: () => (t += 10) });
    await store.track({ type: 'view', itemId: 1, domain: 'food' });
    await store.track({ type: 'add_to_cart', itemId: 'k1', domain: 'kitchen', props: { qty: 2, list: 'pdp' } });
    await store.track({ type: 'view', itemId: '2', domain: 'food' });
    const all = await store.events();
    expect(all.map((e) => [e.type, e.itemId, e.domain])).toEqual([
      ['view', '1', 'food'],
      ['add_to_cart', 'k1', 'kitchen'],
      ['view', '2', 'food'],
    ]);
    expect(all[1]!.props).toEqual({ qty: 2, list: 'pdp' });
    expect((await store.events({ domain: 'food' })).map((e) => e.itemId)).toEqual(['1', '2']);
    expect((await store.events({ limit: 2 })).map((e) => e.itemId)).toEqual(['k1', '2']);
  });
});

describe('consent, export and forget', () => {
  it('consent false clears and stores nothing; true resumes', async () => {
    const store = await open();
    await store.track({ type: 'view', itemId: 1, domain: 'food' });
    await store.setConsent(false);
    expect(await store.count()).toBe(0);
    expect(await store.track({ type: 'view', itemId: 2, domain: 'food' })).toBeUndefined();
    expect(await store.count()).toBe(0);
    await store.setConsent(true);
    await store.track({ type: 'view', itemId: 3, domain: 'food' });
    expect((await store.events()).map((e) => e.itemId)).toEqual(['3']);
  });

  it('a page can require consent first', async () => {
    const store = await open({ defaultConsent: false });
    expect(await store.track({ type: 'view', itemId: 1, domain: 'food' })).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it('exports everything as JSON and forget deletes it but keeps the decision', async () => {
    const store = await open({ now: () => Date.UTC(2025, 0, 2) });
    await store.track({ type: 'purchase', itemId: 7, domain: 'kitchen', props: { price: 9.5 } });
    const dump = JSON.parse(JSON.stringify(await store.exportHistory()));
    expect(dump).toMatchObject({
      format: 'hafrec-history',
      version: 1,
      exportedAt: '2025-01-02T00:00:00.000Z',
      consent: { granted: true, updatedAt: null },
      events: [{ type: 'purchase', itemId: '7', domain: 'kitchen', props: { price: 9.5 } }],
    });
    await store.assets().saveModel('m', {});
    await store.forget();
    expect(await store.count()).toBe(0);
    expect(await store.assets().readModel('m')).toBeUndefined();
    expect(await store.consent()).toBe(true);
  });
});

describe('retention', () => {
  it('keeps at most maxEvents, dropping the oldest', async () => {
    let t = 1_000_000;
    const store = await open({ retention: { maxEvents: 3 }, now: () => (t += 1) });
    for (let i = 1; i <= 5; i += 1) await store.track({ type: 'view', itemId: i, domain: 'food' });
    expect((await store.events()).map((e) => e.itemId)).toEqual(['3', '4', '5']);
  });

  it('drops events older than maxAgeMs when opened', async () => {
    const name = freshName();
    const first = await open({ name, now: () => 1_000 });
    await first.track({ type: 'view', itemId: 'old', domain: 'food', ts: 1_000 });
    await first.track({ type: 'view', itemId: 'new', domain: 'food', ts: 90_000 });
    first.close();
    const later = await open({ name, retention: { maxAgeMs: 50_000 }, now: () => 100_000 });
    expect((await later.events()).map((e) => e.itemId)).toEqual(['new']);
  });

  it('rejects a nonsensical policy', async () => {
    await expect(open({ retention: { maxEvents: 0 } })).rejects.toThrow(/maxEvents must be a positive integer/);
  });
});

/** A re-downloadable cache entry: what a full disk may drop. */
const COPY_URL = 'https://shop.example/haf/weights.bin';
const COPY = { body: new ArrayBuffer(8), type: 'application/octet-stream', version: '' };

describe('storage full (QuotaExceededError)', () => {
  async function filled(): Promise<HistoryStore> {
    let t = 1_000_000;
    const store = await open({ retention: { maxEvents: 100, maxAgeMs: 1e12 }, now: () => (t += 1) });
    for (let i = 0; i < 5; i += 1) await store.track({ type: 'view', itemId: i, domain: 'food' });
    await store.assets().saveFileCopy(COPY_URL, COPY);
    return store;
  }

  it('frees re-downloadable caches, retries once and keeps every event', async () => {
    const store = await filled();
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(() => {
      throw quota();
    });
    const stored = await store.track({ type: 'purchase', itemId: 'p', domain: 'food' });
    expect(stored?.itemId).toBe('p');
    expect(add).toHaveBeenCalledTimes(2);
    expect((await store.events()).map((e) => e.itemId)).toEqual(['0', '1', '2', '3', '4', 'p']);
    expect(await store.assets().readFileCopy(COPY_URL)).toBeUndefined();
  });

  it('throws StorageFullError when the retry fails too, losing nothing already stored', async () => {
    const store = await filled();
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw quota();
    });
    const error = await store.track({ type: 'view', itemId: 'x', domain: 'food' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as StorageFullError).cause).toBeInstanceOf(DOMException);
    expect((error as Error).message).toMatch(/storage is full: could not store a "view" event/);
    vi.restoreAllMocks();
    expect((await store.events()).map((e) => e.itemId)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('prunes by policy before retrying (an old event goes, recent ones stay)', async () => {
    const name = freshName();
    let now = 1_000;
    const store = await open({ name, retention: { maxEvents: 100, maxAgeMs: 10_000 }, now: () => now });
    await store.track({ type: 'view', itemId: 'old', domain: 'food', ts: 1_000 });
    now = 9_000;
    await store.track({ type: 'view', itemId: 'recent', domain: 'food', ts: 9_000 });
    now = 12_000;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(() => {
      throw quota();
    });
    await store.track({ type: 'view', itemId: 'next', domain: 'food' });
    expect((await store.events()).map((e) => e.itemId)).toEqual(['recent', 'next']);
  });

  it('other errors pass through untouched', async () => {
    const store = await filled();
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(() => {
      throw new DOMException('boom', 'UnknownError');
    });
    await expect(store.track({ type: 'view', itemId: 'x', domain: 'food' })).rejects.toMatchObject({ name: 'UnknownError' });
    expect(await store.count()).toBe(5);
  });
});

/**
 * Makes the next `times` readwrite transactions that touch `settings` (track and setConsent)
 * fail as browsers usually report a full disk: no synchronous throw, the request succeeds,
 * then the transaction aborts with tx.error = QuotaExceededError, so `tx.done` rejects and
 * every write of it is rolled back. `after` picks the request whose success triggers the abort:
 * 'count' is track's last request (a commit-time failure), 'add' leaves requests after it.
 */
function abortAsynchronously(after: 'add' | 'count' | 'put', times: number) {
  let left = times;
  const original = IDBObjectStore.prototype[after] as (...args: unknown[]) => IDBRequest;
  const spy = vi.spyOn(IDBObjectStore.prototype, after);
  spy.mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
    const request = original.apply(this, args);
    const tx = this.transaction;
    if (left > 0 && tx.mode === 'readwrite' && tx.objectStoreNames.contains('settings')) {
      left -= 1;
      request.addEventListener('success', () => {
        Object.defineProperty(tx, 'error', { value: quota(), configurable: true, writable: true });
        tx.abort();
      });
    }
    return request as never;
  } as never);
  return spy;
}

describe('storage full reported asynchronously (transaction abort, tx.done rejects)', () => {
  async function filled(): Promise<HistoryStore> {
    let t = 1_000_000;
    const store = await open({ retention: { maxEvents: 100, maxAgeMs: 1e12 }, now: () => (t += 1) });
    for (let i = 0; i < 3; i += 1) await store.track({ type: 'view', itemId: i, domain: 'food' });
    await store.assets().saveFileCopy(COPY_URL, COPY);
    return store;
  }

  for (const after of ['count', 'add'] as const) {
    it(`an abort after "${after}" frees caches, retries once and keeps every event`, async () => {
      const store = await filled();
      const spy = abortAsynchronously(after, 1);
      const stored = await store.track({ type: 'purchase', itemId: 'p', domain: 'food' });
      expect(stored?.itemId).toBe('p');
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(2);
      vi.restoreAllMocks();
      expect((await store.events()).map((e) => e.itemId)).toEqual(['0', '1', '2', 'p']);
      expect(await store.assets().readFileCopy(COPY_URL)).toBeUndefined();
    });
  }

  it('throws StorageFullError when the retry aborts too; the aborted event is not half-stored', async () => {
    const store = await filled();
    abortAsynchronously('add', 2);
    const error = await store.track({ type: 'view', itemId: 'x', domain: 'food' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as StorageFullError).cause).toMatchObject({ name: 'QuotaExceededError' });
    expect((error as Error).message).toMatch(/storage is full: could not store a "view" event.*call forget\(\)/);
    vi.restoreAllMocks();
    expect((await store.events()).map((e) => e.itemId)).toEqual(['0', '1', '2']);
    expect((await store.track({ type: 'view', itemId: 'y', domain: 'food' }))?.itemId).toBe('y');
  });

  it('prunes by policy before retrying', async () => {
    let now = 1_000;
    const store = await open({ retention: { maxEvents: 100, maxAgeMs: 10_000 }, now: () => now });
    await store.track({ type: 'view', itemId: 'old', domain: 'food', ts: 1_000 });
    await store.track({ type: 'view', itemId: 'recent', domain: 'food', ts: 9_000 });
    now = 12_000;
    const changes: StoreChange[] = [];
    store.onChange((change) => changes.push(change));
    abortAsynchronously('count', 1);
    await store.track({ type: 'view', itemId: 'next', domain: 'food' });
    expect((await store.events()).map((e) => e.itemId)).toEqual(['recent', 'next']);
    expect(changes.map((c) => c.kind)).toEqual(['pruned', 'event']);
  });

  it('a consent decision whose commit fails is retried, then refused with StorageFullError', async () => {
    const store = await filled();
    abortAsynchronously('put', 1);
    await store.setConsent(true);
    expect(await store.consent()).toBe(true);
    vi.restoreAllMocks();
    abortAsynchronously('put', 2);
    const error = await store.setConsent(false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    expect(await store.consent()).toBe(true);
    expect(await store.count()).toBe(3);
  });
});

describe('several tabs', () => {
  it('concurrent writers on separate connections lose nothing and hear each other', async () => {
    const name = freshName();
    const a = await open({ name, broadcast: true });
    const b = await open({ name, broadcast: true });
    const heardByA: StoreChange[] = [];
    a.onChange((change) => heardByA.push(change));
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i += 1) {
      writes.push(a.track({ type: 'view', itemId: `a${i}`, domain: 'food' }));
      writes.push(b.track({ type: 'click', itemId: `b${i}`, domain: 'kitchen' }));
    }
    await Promise.all(writes);
    const all = await a.events();
    expect(all).toHaveLength(80);
    expect(new Set(all.map((e) => e.seq)).size).toBe(80);
    await vi.waitFor(() => expect(heardByA.filter((c) => c.kind === 'event')).toHaveLength(80));
    expect(heardByA.some((c) => c.kind === 'event' && c.itemId === 'b7')).toBe(true);
  });
});

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openHistoryStore } from '../store/history-store.ts';
import { validateEvent } from '../store/event.ts';
import { openPendingLog, PENDING_LIMIT } from './pending-log.ts';
import { replayPending } from './replay-pending.ts';
import { createApi } from './api.ts';
import { testConfig } from './test-config.ts';
import { HafrecWorkerClient } from '../worker/hafrec-client.ts';

/** The Web Storage interface over a Map, the way localStorage behaves within one origin. */
class MemoryStorage implements Storage {
  private readonly map = new Map<string, string>();
  failWrites = false;
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException('quota', 'QuotaExceededError');
    this.map.set(key, value);
  }
}

let n = 0;
const event = (itemId: string, ts: number) => validateEvent({ type: 'view', itemId, domain: 'food', ts });
afterEach(() => vi.restoreAllMocks());

describe('pending log', () => {
  it('keeps entries until removed, per database, oldest first', () => {
    const storage = new MemoryStorage();
    const log = openPendingLog('a', storage);
    const first = log.add(event('1', 1));
    log.add(event('2', 2));
    openPendingLog('b', storage).add(event('9', 9));
    expect(log.entries().map((e) => e.event.itemId)).toEqual(['1', '2']);
    log.remove(first);
    expect(log.entries().map((e) => e.event.itemId)).toEqual(['2']);
    log.clear();
    expect(log.entries()).toEqual([]);
    expect(storage.getItem('hafrec:pending:a')).toBeNull();
    expect(openPendingLog('b', storage).entries()).toHaveLength(1);
  });

  it('is bounded, and degrades to a no-op without storage, on refused writes and on garbage', () => {
    const storage = new MemoryStorage();
    const log = openPendingLog('a', storage);
    for (let i = 0; i < PENDING_LIMIT + 5; i++) log.add(event(String(i), i + 1));
    expect(log.entries()).toHaveLength(PENDING_LIMIT);
    expect(log.entries()[0]!.event.itemId).toBe('5');
    storage.failWrites = true;
    expect(log.add(event('x', 1))).toBe('');
    expect(openPendingLog('none', undefined).add(event('x', 1))).toBe('');
    storage.failWrites = false;
    storage.setItem('hafrec:pending:g', '{not json');
    expect(openPendingLog('g', storage).entries()).toEqual([]);
    storage.setItem('hafrec:pending:g', JSON.stringify([{ id: 'ok', event: event('1', 1) }, 7, { id: 3 }]));
    expect(openPendingLog('g', storage).entries().map((e) => e.id)).toEqual(['ok']);
  });
});

describe('replayPending', () => {
  it('stores what an earlier page left, once, and drops entries that cannot be stored', async () => {
    const store = await openHistoryStore({ name: `pending-${++n}`, broadcast: false });
    const log = openPendingLog(store.name, new MemoryStorage());
    await store.track(event('committed', 10));
    log.add(event('committed', 10));
    log.add(event('lost', 11));
    log.add({ ...event('bad', 12), type: 'teleport' } as never);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await replayPending(store, log)).toBe(1);
    expect((await store.events()).map((e) => [e.itemId, e.ts])).toEqual([['committed', 10], ['lost', 11]]);
    expect(log.entries()).toEqual([]);
    expect(warn).toHaveBeenCalledOnce();
    store.close();
  });
});

describe('the API and the pending log', () => {
  it('logs an event synchronously and drops it once stored; never without consent; consent(false) and forget() clear it', async () => {
    const store = await openHistoryStore({ name: `pending-${++n}`, broadcast: false });
    const log = openPendingLog(store.name, new MemoryStorage());
    const worker = new HafrecWorkerClient('https://shop.example/embed-worker.js', { catalogUrl: '', modelUrl: '', dbName: store.name });
    const api = createApi(testConfig(store.name), store, worker, { log, consent: true });
    const tracked = api.track({ type: 'add_to_cart', itemId: 5 });
    expect(log.entries().map((e) => [e.event.itemId, e.event.domain])).toEqual([['5', 'food']]);
    expect((await tracked)?.itemId).toBe('5');
    expect(log.entries()).toEqual([]);
    await expect(api.track({ type: 'teleport', itemId: 5 })).rejects.toThrow(/type/);
    expect(log.entries()).toEqual([]);

    log.add(event('left', 1));
    void api.consent(false);
    expect(log.entries()).toEqual([]);
    const refused = api.track({ type: 'view', itemId: 6 });
    expect(log.entries()).toEqual([]);
    expect(await refused).toBeUndefined();
    await api.consent(true);
    const again = api.track({ type: 'view', itemId: 7 });
    expect(log.entries()).toHaveLength(1);
    await api.forget();
    expect(log.entries()).toEqual([]);
    await again;
    store.close();
  });
});

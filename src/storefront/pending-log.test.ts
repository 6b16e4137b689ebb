import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openHistoryStore } from '../store/history-store.ts';
import { validateEvent } from '../store/event.ts';
import { openPendingLog, PENDING_CHUNK, PENDING_LIMIT } from './pending-log.ts';
import { replayPending } from './replay-pending.ts';
import { createApi } from './api.ts';
import { testConfig } from './test-config.ts';
import { HafrecWorkerClient } from '../engine/hafrec-client.ts';

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
const event = (itemId: string, ts: number) => ({ id: `e-${itemId}`, ...validateEvent({ type: 'view', itemId, domain: 'food', ts }) });
afterEach(() => vi.restoreAllMocks());

/** A page lifecycle whose pagehide the test fires. */
class FakePage {
  private readonly listeners = new Map<string, (() => void)[]>();
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  hide(): void {
    for (const listener of this.listeners.get('pagehide') ?? []) listener();
  }
}

const itemIds = (events: readonly { itemId: string }[]) => events.map((e) => e.itemId);

describe('pending log', () => {
  it('keeps each tab\'s entries under its own key, written once per task or at pagehide', () => {
    const storage = new MemoryStorage();
    const page = new FakePage();
    const tab = openPendingLog('a', storage, page);
    tab.add(event('1', 1));
    tab.add(event('2', 2));
    expect(storage.length).toBe(0);
    page.hide();
    const other = openPendingLog('a', storage, new FakePage());
    openPendingLog('b', storage, new FakePage()).add(event('9', 9));
    const [left] = other.leftovers();
    expect(left!.key).toMatch(/^hafrec:pending:a:/);
    expect(itemIds(left!.events)).toEqual(['1', '2']);
    tab.remove(['e-1']);
    tab.flush();
    expect(itemIds(other.leftovers()[0]!.events)).toEqual(['2']);
    expect(tab.leftovers()).toEqual([]);
    other.discard(left!.key);
    expect(other.leftovers()).toEqual([]);
  });

  it('writes a burst after the task, one chunk of PENDING_CHUNK events per task, not per call', async () => {
    const storage = new MemoryStorage();
    const setItem = vi.spyOn(storage, 'setItem');
    const tab = openPendingLog('a', storage, new FakePage());
    for (let i = 0; i < PENDING_CHUNK * 2; i++) tab.add(event(String(i), i + 1));
    expect(setItem).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(setItem).toHaveBeenCalledOnce();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(setItem).toHaveBeenCalledTimes(2);
    const left = openPendingLog('a', storage, new FakePage()).leftovers();
    expect(left.map((l) => l.events.length)).toEqual([PENDING_CHUNK, PENDING_CHUNK]);
    tab.remove(left[0]!.events.map((e) => e.id!));
    tab.flush();
    expect(openPendingLog('a', storage, new FakePage()).leftovers().map((l) => l.events.length)).toEqual([PENDING_CHUNK]);
  });

  it('clear() forgets every tab\'s entries of its database', () => {
    const storage = new MemoryStorage();
    const a = openPendingLog('a', storage, new FakePage());
    const b = openPendingLog('a', storage, new FakePage());
    a.add(event('1', 1));
    b.add(event('2', 2));
    a.flush();
    b.flush();
    openPendingLog('c', storage, new FakePage()).add(event('3', 3));
    a.clear();
    expect(openPendingLog('a', storage, new FakePage()).leftovers()).toEqual([]);
    expect(storage.length).toBe(0);
  });

  it('is bounded, and degrades to a no-op without storage, on refused writes and on garbage', () => {
    const storage = new MemoryStorage();
    const log = openPendingLog('a', storage, new FakePage());
    for (let i = 0; i < PENDING_LIMIT + 5; i++) log.add(event(String(i), i + 1));
    log.flush();
    const left = openPendingLog('a', storage, new FakePage()).leftovers().flatMap((l) => l.events);
    expect(left).toHaveLength(PENDING_LIMIT);
    expect(left[0]!.itemId).toBe('5');
    storage.failWrites = true;
    log.add(event('x', 1));
    expect(() => log.flush()).not.toThrow();
    const none = openPendingLog('none', undefined, new FakePage());
    none.add(event('x', 1));
    expect(none.leftovers()).toEqual([]);
    storage.failWrites = false;
    storage.setItem('hafrec:pending:g:t1', '{not json');
    expect(openPendingLog('g', storage, new FakePage()).leftovers()[0]!.events).toEqual([]);
  });

  it('reads the single shared key of earlier tags, whose entry ids become event ids', () => {
    const storage = new MemoryStorage();
    storage.setItem('hafrec:pending:g', JSON.stringify([{ id: 'ok', event: validateEvent({ type: 'view', itemId: '1', domain: 'food', ts: 1 }) }, 7, { id: 3 }]));
    const [left] = openPendingLog('g', storage, new FakePage()).leftovers();
    expect(left!.key).toBe('hafrec:pending:g');
    expect(left!.events.map((e) => [e.id, e.itemId])).toEqual([['ok', '1']]);
  });
});

describe('replayPending', () => {
  it('stores what earlier pages left, once even when replayed twice, and drops entries that cannot be stored', async () => {
    const store = await openHistoryStore({ retention: {}, name: `pending-${++n}`, broadcast: false });
    const storage = new MemoryStorage();
    const earlier = openPendingLog(store.name, storage, new FakePage());
    const t = Date.now() - 1000;
    await store.track(event('committed', t));
    earlier.add(event('committed', t));
    earlier.add(event('lost', t + 1));
    earlier.add({ ...event('bad', t + 2), type: 'teleport' } as never);
    earlier.flush();
    storage.setItem(`hafrec:pending:${store.name}:copy`, storage.getItem(storage.key(0)!)!);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const next = openPendingLog(store.name, storage, new FakePage());
    expect(await replayPending(store, next)).toBe(4);
    expect((await store.events()).map((e) => [e.itemId, e.ts])).toEqual([['committed', t], ['lost', t + 1]]);
    expect(next.leftovers()).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    store.close();
  });
});

describe('the API and the pending log', () => {
  it('logs an event and drops it once stored; never without consent; consent(false) and forget() clear it', async () => {
    const store = await openHistoryStore({ retention: {}, name: `pending-${++n}`, broadcast: false });
    const storage = new MemoryStorage();
    const log = openPendingLog(store.name, storage, new FakePage());
    const peek = () => {
      log.flush();
      return openPendingLog(store.name, storage, new FakePage()).leftovers().flatMap((l) => l.events);
    };
    const worker = new HafrecWorkerClient('https://shop.example/embed-worker.js', { catalogUrl: '', modelUrl: '', dbName: store.name, retention: {}, defaultConsent: true });
    const api = createApi(testConfig(store.name), store, worker, { log, consent: true });
    const tracked = api.track({ type: 'add_to_cart', itemId: 5 });
    expect(peek().map((e) => [e.itemId, e.domain])).toEqual([['5', 'food']]);
    expect((await tracked)?.itemId).toBe('5');
    expect(peek()).toEqual([]);
    await expect(api.track({ type: 'teleport', itemId: 5 })).rejects.toThrow(/type/);
    expect(peek()).toEqual([]);

    log.add(event('left', 1));
    void api.consent(false);
    expect(peek()).toEqual([]);
    const refused = api.track({ type: 'view', itemId: 6 });
    expect(peek()).toEqual([]);
    expect(await refused).toBeUndefined();
    await api.consent(true);
    const again = api.track({ type: 'view', itemId: 7 });
    expect(peek()).toHaveLength(1);
    await api.forget();
    expect(peek()).toEqual([]);
    await again;
    store.close();
  });
});

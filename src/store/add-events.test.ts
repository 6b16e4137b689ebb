import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openHistoryStore, WRITE_BATCH, type HistoryStore } from './history-store.ts';
import { InvalidEventError } from './errors.ts';
import { PRUNE_BATCH, pruneEvents } from './retention.ts';
import { openHafrecDb } from './open-db.ts';
import type { StoreChange } from './change-channel.ts';

let n = 0;
const opened: HistoryStore[] = [];
const NOW = 1_700_000_000_000;
async function open(retention: { maxEvents?: number; maxAgeMs?: number } = {}, name = `add-${++n}-${Math.random()}`): Promise<HistoryStore> {
  const store = await openHistoryStore({ name, broadcast: false, retention, now: () => NOW });
  opened.push(store);
  return store;
}
afterEach(() => {
  vi.restoreAllMocks();
  opened.splice(0).forEach((s) => s.close());
});

/** Counts readwrite transactions from now on, on every connection (the test makes one writer). */
function readwriteTransactions(): () => number {
  const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
  return () => spy.mock.calls.filter((args) => args[1] === 'readwrite').length;
}
const view = (itemId: string, ts: number, id?: string) => ({ type: 'view', itemId, domain: 'food', ts, ...(id ? { id } : {}) });

describe('storing events once', () => {
  it('an event id already stored resolves the stored event and stores nothing, across connections and within a batch', async () => {
    const name = `add-${++n}`;
    const a = await open({}, name);
    const b = await open({}, name);
    const first = await a.track(view('1', NOW - 10, 'same'));
    expect(await b.track(view('1', NOW - 10, 'same'))).toEqual(first);
    const outcomes = await b.trackMany([view('2', NOW - 5, 'twice'), view('2', NOW - 5, 'twice'), view('3', NOW - 4)]);
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect((await a.events()).map((e) => e.itemId)).toEqual(['1', '2', '3']);
    expect((await a.events()).every((e) => typeof e.id === 'string' && e.id.length > 0)).toBe(true);
  });

  it('trackMany keeps the order, reports bad inputs one by one and writes one transaction per WRITE_BATCH events', async () => {
    const store = await open({ maxEvents: 10_000 });
    const writes = readwriteTransactions();
    const inputs: unknown[] = Array.from({ length: WRITE_BATCH * 2 + 2 }, (_, i) => view(String(i), NOW - 5000 + i));
    inputs[3] = { type: 'teleport' };
    const outcomes = await store.trackMany(inputs);
    expect(outcomes[3]).toBeInstanceOf(InvalidEventError);
    expect(outcomes.filter((o) => o && !(o instanceof Error))).toHaveLength(WRITE_BATCH * 2 + 1);
    expect(writes()).toBe(3);
    expect((await store.events({ limit: 2 })).map((e) => e.itemId)).toEqual([String(WRITE_BATCH * 2), String(WRITE_BATCH * 2 + 1)]);
  });

  it('refuses an event the trim would delete at once instead of resolving it as stored', async () => {
    const store = await open({ maxEvents: 2 });
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    await store.track(view('a', NOW - 100));
    await store.track(view('b', NOW - 50));
    const error = await store.track(view('ancient', NOW - 1000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/"ts" is older than each of the 2 newest events .*nothing was stored/);
    expect((await store.events()).map((e) => e.itemId)).toEqual(['a', 'b']);
    expect(changes.filter((c) => c.kind === 'event')).toHaveLength(2);
    expect((await store.track(view('c', NOW - 10)))?.itemId).toBe('c');
    expect((await store.events()).map((e) => e.itemId)).toEqual(['b', 'c']);
  });

  it('refuses an event older than the retention age', async () => {
    const store = await open({ maxAgeMs: 1000 });
    await expect(store.track(view('old', NOW - 2000))).rejects.toThrow(/"ts" is older than the 0 days/);
    expect(await store.count()).toBe(0);
  });
});

describe('pruning in batches', () => {
  it('a lowered policy is applied in transactions of PRUNE_BATCH deletions, oldest first', async () => {
    const name = `add-${++n}`;
    const big = await open({ maxEvents: 10_000 }, name);
    await big.trackMany(Array.from({ length: PRUNE_BATCH * 2 + 300 }, (_, i) => view(String(i), NOW - 100_000 + i)));
    const db = await openHafrecDb(name);
    const writes = readwriteTransactions();
    expect(await pruneEvents(db, { maxEvents: 100, maxAgeMs: 1e12 }, NOW)).toBe(PRUNE_BATCH * 2 + 200);
    expect(writes()).toBe(3);
    db.close();
    expect((await big.events()).map((e) => e.itemId)[0]).toBe(String(PRUNE_BATCH * 2 + 200));
  });

  it('a write over a much lowered limit trims a bounded amount, then the rest is pruned in the background', async () => {
    const name = `add-${++n}`;
    const big = await open({ maxEvents: 10_000 }, name);
    await big.trackMany(Array.from({ length: PRUNE_BATCH * 3 }, (_, i) => view(String(i), NOW - 100_000 + i)));
    big.close();
    const small = await openHistoryStore({ name, broadcast: false, retention: { maxEvents: 10 }, now: () => NOW });
    opened.push(small);
    expect(await small.count()).toBe(10);
    await small.track(view('new', NOW));
    expect((await small.events()).map((e) => e.itemId).at(-1)).toBe('new');
    expect(await small.count()).toBe(10);
  });
});

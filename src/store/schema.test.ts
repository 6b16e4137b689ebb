import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { openHafrecDb } from './open-db.ts';
import { openHistoryStore } from './history-store.ts';
import { DB_VERSION, STORE_NAMES } from './schema.ts';
import { StoreBlockedError, StoreCorruptError, StoreUnavailableError, StoreVersionError } from './errors.ts';

let n = 0;
const freshName = () => `schema-test-${++n}-${Math.random().toString(36).slice(2)}`;

/** Writes a database exactly as release v1 did: raw records, v1 consent shape. */
async function writeV1(name: string, consent: boolean | undefined): Promise<void> {
  const db = await openHafrecDb(name, { version: 1 });
  expect(db.version).toBe(1);
  expect([...db.objectStoreNames].sort()).toEqual(['events', 'settings']);
  const tx = db.transaction(['events', 'settings'], 'readwrite');
  const events = tx.objectStore('events');
  await events.add({ type: 'view', itemId: '10', domain: 'food', ts: 1000 });
  await events.add({ type: 'purchase', itemId: '9000', domain: 'kitchen', ts: 2000, props: { qty: 2 } });
  await events.add({ type: 'view', itemId: '11', domain: 'food', ts: 3000 });
  if (consent !== undefined) {
    await (tx.objectStore('settings') as unknown as IDBObjectStore & { put(v: unknown): Promise<unknown> }).put({
      key: 'consent',
      value: consent,
    });
  }
  await tx.done;
  db.close();
}

describe('schema upgrade ladder', () => {
  it('creates every store and index at the current version', async () => {
    const name = freshName();
    const db = await openHafrecDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([...STORE_NAMES].sort());
    const tx = db.transaction(['events', 'items']);
    expect([...tx.objectStore('events').indexNames].sort()).toEqual(['by-domain-ts', 'by-id', 'by-item', 'by-ts']);
    expect([...tx.objectStore('items').indexNames]).toEqual(['by-catalog-position']);
    db.close();
  });

  it('upgrades a v1 database with nothing lost and migrates consent', async () => {
    const name = freshName();
    await writeV1(name, false);
    const store = await openHistoryStore({ retention: {}, name, broadcast: false, now: () => 4000 });
    const db = await openHafrecDb(name);
    expect(db.version).toBe(DB_VERSION);
    const all = await store.events();
    expect(all.map((e) => [e.seq, e.type, e.itemId, e.domain, e.ts])).toEqual([
      [1, 'view', '10', 'food', 1000],
      [2, 'purchase', '9000', 'kitchen', 2000],
      [3, 'view', '11', 'food', 3000],
    ]);
    expect(all[1]!.props).toEqual({ qty: 2 });
    // The v2 indexes cover records written by v1.
    expect((await store.events({ domain: 'food' })).map((e) => e.itemId)).toEqual(['10', '11']);
    expect(await db.getAllKeysFromIndex('events', 'by-item', '9000')).toEqual([2]);
    expect(await store.consent()).toBe(false);
    expect(await db.get('settings', 'consent')).toEqual({ key: 'consent', granted: false, updatedAt: 0 });
    db.close();
    store.close();
  });

  it('upgrades a v1 database that granted consent, and one that never decided', async () => {
    const granted = freshName();
    await writeV1(granted, true);
    const a = await openHistoryStore({ retention: {}, name: granted, broadcast: false, defaultConsent: false, now: () => 4000 });
    expect(await a.consent()).toBe(true);
    expect(await a.count()).toBe(3);
    a.close();
    const undecided = freshName();
    await writeV1(undecided, undefined);
    const b = await openHistoryStore({ retention: {}, name: undecided, broadcast: false, defaultConsent: false, now: () => 4000 });
    expect(await b.consent()).toBe(false);
    expect(await b.count()).toBe(3);
    // New events continue the v1 sequence.
    const stored = await openHistoryStore({ retention: {}, name: undecided, broadcast: false, now: () => 4000 });
    expect((await stored.track({ type: 'click', itemId: 12, domain: 'food', ts: 5000 }))?.seq).toBe(4);
    stored.close();
    b.close();
  });

  it('re-opening the current version changes nothing', async () => {
    const name = freshName();
    const a = await openHistoryStore({ retention: {}, name, broadcast: false });
    await a.track({ type: 'view', itemId: 'x', domain: 'd' });
    a.close();
    const b = await openHistoryStore({ retention: {}, name, broadcast: false });
    expect((await b.events()).map((e) => e.itemId)).toEqual(['x']);
    b.close();
  });
});

describe('unusable databases', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a database written by newer code is a StoreVersionError', async () => {
    const name = freshName();
    (await openDB(name, DB_VERSION + 3)).close();
    const error = await openHafrecDb(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreVersionError);
    expect((error as StoreVersionError).found).toBe(DB_VERSION + 3);
    expect((error as Error).message).toMatch(/newer than this code supports \(1\.\.3\)/);
  });

  it('a database with the right version but foreign stores is a StoreCorruptError', async () => {
    const name = freshName();
    (await openDB(name, DB_VERSION, { upgrade: (db) => void db.createObjectStore('other') })).close();
    const error = await openHafrecDb(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toMatch(/object store\(s\) events, settings, items, features, models missing/);
    expect((error as Error).message).toMatch(/nothing was deleted\. To start over, delete it explicitly: deleteHafrecDb/);
  });

  it('a v1 database missing a v1 store is a StoreCorruptError and is left untouched', async () => {
    const name = freshName();
    (await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('events') })).close();
    const error = await openHafrecDb(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as Error).message).toMatch(/store missing/);
    const after = await openDB(name);
    expect(after.version).toBe(1);
    expect([...after.objectStoreNames]).toEqual(['events']);
    after.close();
  });

  it('unusable databases are never deleted: data written at a newer version or beside foreign stores stays', async () => {
    const newer = freshName();
    const db = await openDB(newer, DB_VERSION + 1, { upgrade: (d) => void d.createObjectStore('events', { keyPath: 'seq' }) });
    await db.put('events', { seq: 1, itemId: 'kept' });
    db.close();
    await expect(openHistoryStore({ retention: {}, name: newer, broadcast: false })).rejects.toBeInstanceOf(StoreVersionError);
    const after = await openDB(newer);
    expect(after.version).toBe(DB_VERSION + 1);
    expect(await after.getAll('events')).toEqual([{ seq: 1, itemId: 'kept' }]);
    after.close();
  });

  it('a browser that refuses IndexedDB gives a StoreUnavailableError saying what to do', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    const error = await openHafrecDb(freshName()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/the browser refused IndexedDB \(SecurityError.*allow this site to store data/);
  });

  it('an old tab that will not close is a StoreBlockedError, and the late connection is closed', async () => {
    const name = freshName();
    const old = await openDB(name, 1, {
      upgrade: (db) => {
        db.createObjectStore('events', { keyPath: 'seq', autoIncrement: true }).createIndex('by-ts', 'ts');
        db.createObjectStore('settings', { keyPath: 'key' });
      },
    });
    const error = await openHafrecDb(name, { blockedTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreBlockedError);
    expect(error).toMatchObject({ currentVersion: 1, wantedVersion: DB_VERSION });
    old.close();
  });

  it('an open connection steps aside when a newer version wants to upgrade', async () => {
    const name = freshName();
    const v1 = await openHafrecDb(name, { version: 1 });
    const v2 = await openHafrecDb(name, { blockedTimeoutMs: 2000 });
    expect(v2.version).toBe(DB_VERSION);
    v2.close();
    v1.close();
  });
});

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDB } from 'idb';
import { DB_VERSION } from '../store/schema.ts';
import { StoreCorruptError, StoreVersionError } from '../store/errors.ts';
import { testConfig } from './test-config.ts';
import { startApi } from './start.ts';

let n = 0;
afterEach(() => vi.restoreAllMocks());

/** A database the tag cannot use, holding one record that must survive. */
const unusable = {
  'written by a newer version': {
    type: StoreVersionError,
    message: /is at version 7, newer than this code supports \(1\.\.3\); reload the page/,
    create: (name: string) =>
      openDB(name, 7, { upgrade: (db) => void db.createObjectStore('events', { keyPath: 'seq' }) }),
  },
  'holding foreign stores': {
    type: StoreCorruptError,
    message: /object store\(s\) events, settings, items, features, models missing.*nothing was deleted/,
    create: (name: string) =>
      openDB(name, DB_VERSION, { upgrade: (db) => void db.createObjectStore('events-v0', { keyPath: 'seq' }) }),
  },
} as const;

describe('the tag when the database cannot be opened', () => {
  for (const [label, { type, message, create }] of Object.entries(unusable)) {
    it(`${label}: the API exists, every call rejects with the typed error, nothing is deleted`, async () => {
      const name = `embed-${++n}`;
      const db = await create(name);
      const storeName = [...db.objectStoreNames][0]! as never;
      await db.put(storeName, { seq: 1, itemId: 'kept' } as never);
      const version = db.version;
      db.close();

      const api = await startApi(testConfig(name));
      expect(api.state).toBe('error');
      expect(api.error).toBeInstanceOf(type);
      expect(api.error!.message).toMatch(message);
      await expect(api.ready).rejects.toBe(api.error);
      for (const call of [
        () => api.track({ type: 'view', itemId: 1 }),
        () => api.recommend('food', 4),
        () => api.export({ download: false }),
        () => api.forget(),
        () => api.consent(false),
        () => api.push(['track', { type: 'view', itemId: 2 }]),
      ]) {
        await expect(call()).rejects.toBe(api.error);
      }
      const onReady = vi.fn();
      const onError = vi.fn();
      await expect(api.push(['ready', onReady, onError])).rejects.toBe(api.error);
      expect(onReady).not.toHaveBeenCalled();
      expect(onError).toHaveBeenCalledWith(api.error);
      // Fire-and-forget pushes (what pages do) must not surface as unhandled rejections.
      void api.push(['track', { type: 'view', itemId: 3 }]);
      expect(api.onChange(() => undefined)).toBeTypeOf('function');

      const after = await openDB(name);
      expect(after.version).toBe(version);
      expect([...after.objectStoreNames]).toEqual([storeName]);
      expect(await after.getAll(storeName)).toEqual([{ seq: 1, itemId: 'kept' }]);
      after.close();
    });
  }

  it('a usable database gives the ready API', async () => {
    const api = await startApi(testConfig(`embed-${++n}`));
    expect(api.state).toBe('ready');
    expect(api.error).toBeUndefined();
    expect(await api.ready).toBe(api);
    const onReady = vi.fn();
    await api.push(['ready', onReady]);
    expect(onReady).toHaveBeenCalledWith(api);
    expect((await api.track({ type: 'view', itemId: 5 }))?.domain).toBe('food');
    expect((await api.export({ download: false })).events.map((e) => e.itemId)).toEqual(['5']);
  });
});

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_DB_NAME, type StoredVector } from './embedding-schema.ts';
import { openEmbeddingStore } from './embedding-store.ts';
import { StoreCorruptError, StoreVersionError } from './errors.ts';

let n = 0;
const freshName = (): string => `embeddings-test-${n++}`;
const record = (model: string, hash: string, bytes = 8): StoredVector => ({ model, modality: 'text', hash, dim: bytes / 2, quantization: 'fp16', bytes: new ArrayBuffer(bytes) });

describe('embedding store (IndexedDB "hafrec-embeddings")', () => {
  it('is named hafrec-embeddings unless told otherwise', async () => {
    const store = await openEmbeddingStore();
    expect(store.name).toBe(EMBEDDING_DB_NAME);
    store.close();
  });

  it('keys by model, modality and hash, counts and sizes per model, clears one model', async () => {
    const store = await openEmbeddingStore({ name: freshName() });
    await store.putMany([record('a', 'x'), { ...record('a', 'x', 16), modality: 'image' }, record('b', 'x')]);
    const [hit, miss] = await store.getMany('a', 'text', ['x', 'y']);
    expect(hit?.bytes.byteLength).toBe(8);
    expect(miss).toBeUndefined();
    expect(await store.count()).toBe(3);
    expect(await store.count('a')).toBe(2);
    expect(await store.payloadBytes('a')).toBe(24);
    await store.clear('a');
    expect(await store.count()).toBe(1);
    await store.clear();
    expect(await store.count()).toBe(0);
    store.close();
  });

  it('persists across connections (a second visit)', async () => {
    const name = freshName();
    const first = await openEmbeddingStore({ name });
    await first.putMany([record('m', 'k')]);
    first.close();
    const second = await openEmbeddingStore({ name });
    expect((await second.getMany('m', 'text', ['k']))[0]?.hash).toBe('k');
    second.close();
  });

  it('opens a v1 database written by the cache before src/store owned it, records intact', async () => {
    const name = freshName();
    // Exactly what src/embedding/embedding-cache.ts created and wrote up to this release.
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('vectors', { keyPath: ['model', 'modality', 'hash'] }).createIndex('model', 'model');
      },
    });
    await old.put('vectors', record('clip@main', 'h1'));
    old.close();
    const store = await openEmbeddingStore({ name });
    expect((await store.getMany('clip@main', 'text', ['h1']))[0]).toEqual(record('clip@main', 'h1'));
    expect(await store.count('clip@main')).toBe(1);
    store.close();
  });

  it('a database of another shape or a newer version is a typed StoreError, left as it was', async () => {
    const foreign = freshName();
    (await openDB(foreign, 1, { upgrade: (db) => void db.createObjectStore('other') })).close();
    await expect(openEmbeddingStore({ name: foreign })).rejects.toBeInstanceOf(StoreCorruptError);
    const newer = freshName();
    (await openDB(newer, 9, { upgrade: (db) => void db.createObjectStore('vectors') })).close();
    await expect(openEmbeddingStore({ name: newer })).rejects.toBeInstanceOf(StoreVersionError);
    const after = await openDB(newer);
    expect(after.version).toBe(9);
    after.close();
  });

  it('steps aside when a newer tab upgrades, and reopens on the next call', async () => {
    const name = freshName();
    const store = await openEmbeddingStore({ name });
    await store.putMany([record('m', 'k')]);
    const newer = await openDB(name, 2, { blocked: () => undefined });
    newer.close();
    await expect(store.count()).rejects.toBeInstanceOf(StoreVersionError);
    store.close();
  });
});

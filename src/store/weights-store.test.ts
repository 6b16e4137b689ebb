import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { StoreCorruptError } from './errors.ts';
import { deleteSavedWeights, hasSavedWeights, readSavedWeights, saveWeights, WEIGHTS_DB_NAME } from './weights-store.ts';

let n = 0;
const freshName = (): string => `weights-test-${n++}`;
const saved = (fill: number) => ({ key: 'demo', meta: { format: 'hafrec', weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }] }, data: new Float32Array([fill, fill]).buffer, savedAt: 7 });

describe('weights saved in this browser (their own database)', () => {
  it('saves, reads back, replaces and deletes by key', async () => {
    const name = freshName();
    expect(await hasSavedWeights('demo', name)).toBe(false);
    expect(await readSavedWeights('demo', name)).toBeUndefined();
    await saveWeights(saved(1), name);
    expect(await hasSavedWeights('demo', name)).toBe(true);
    const back = await readSavedWeights('demo', name);
    expect(back?.meta).toEqual(saved(1).meta);
    expect(Array.from(new Float32Array(back!.data))).toEqual([1, 1]);
    await saveWeights(saved(2), name);
    expect(Array.from(new Float32Array((await readSavedWeights('demo', name))!.data))).toEqual([2, 2]);
    await deleteSavedWeights('demo', name);
    expect(await hasSavedWeights('demo', name)).toBe(false);
  });

  it('defaults to the hafrec-weights database, apart from the history', async () => {
    await saveWeights(saved(3));
    const db = await openDB(WEIGHTS_DB_NAME);
    expect([...db.objectStoreNames]).toEqual(['weights']);
    db.close();
  });

  it('a database of another shape is a typed StoreError, left as it was', async () => {
    const name = freshName();
    (await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('other') })).close();
    await expect(readSavedWeights('demo', name)).rejects.toBeInstanceOf(StoreCorruptError);
  });
});

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { FeatureTable } from '../catalog/features.ts';
import { StoreCorruptError } from './errors.ts';
import { readFeatureTable, saveFeatureTable } from './feature-cache.ts';
import { openHafrecDb } from './open-db.ts';

let n = 0;
const freshName = (): string => `features-test-${n++}`;
const table = (encoder: string, size: number, dim: number, fill = 1): FeatureTable => ({
  modality: 'text',
  encoder,
  dim,
  vectors: new Float32Array((size + 1) * dim).fill(fill),
  present: new Uint8Array(size + 1).fill(1),
});
const key = (catalog: string, encoder = 'lexical-v1-d4-s0') => ({ catalog, modality: 'text' as const, encoder });

describe('feature cache (the features store of a hafrec database)', () => {
  it('reads back a saved table only when it has the expected shape', async () => {
    const name = freshName();
    await saveFeatureTable(name, 'shop@aaa', table('lexical-v1-d4-s0', 3, 4, 0.5));
    const back = await readFeatureTable(name, key('shop@aaa'), { size: 3, dim: 4 });
    expect(back?.vectors).toEqual(new Float32Array(16).fill(0.5));
    expect(back).toMatchObject({ modality: 'text', encoder: 'lexical-v1-d4-s0', dim: 4 });
    expect(await readFeatureTable(name, key('shop@aaa'), { size: 4, dim: 4 })).toBeUndefined();
    expect(await readFeatureTable(name, key('shop@aaa'), { size: 3, dim: 8 })).toBeUndefined();
    expect(await readFeatureTable(name, key('shop@bbb'), { size: 3, dim: 4 })).toBeUndefined();
  });

  it('drops the same encoder\'s tables of the catalogs it supersedes, and only those', async () => {
    const name = freshName();
    await saveFeatureTable(name, 'shop@old', table('lexical-v1-d4-s0', 1, 4));
    await saveFeatureTable(name, 'shop@old', table('lexical-v1-d8-s0', 1, 8));
    await saveFeatureTable(name, 'other@x', table('lexical-v1-d4-s0', 1, 4));
    await saveFeatureTable(name, 'shop@new', table('lexical-v1-d4-s0', 1, 4), (stored) => stored.startsWith('shop@'));
    const db = await openHafrecDb(name);
    expect((await db.getAllKeys('features')).map((k) => `${k[0]} ${k[2]}`).sort()).toEqual([
      'other@x lexical-v1-d4-s0',
      'shop@new lexical-v1-d4-s0',
      'shop@old lexical-v1-d8-s0',
    ]);
    db.close();
  });

  it('a database it cannot use is a typed StoreError (the caller decides to go without)', async () => {
    const name = freshName();
    (await openDB(name, 3, { upgrade: (db) => void db.createObjectStore('other') })).close();
    await expect(readFeatureTable(name, key('shop@aaa'), { size: 1, dim: 4 })).rejects.toBeInstanceOf(StoreCorruptError);
  });
});

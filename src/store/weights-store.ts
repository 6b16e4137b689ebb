import type { DBSchema, IDBPDatabase } from 'idb';
import { openStoreDb, type DbSpec } from './open-db.ts';

/**
 * Model weights saved in this browser (the demo's "Save to this browser"), in their own
 * database: they are neither shopper history nor a re-downloadable cache, so forget(), consent
 * and a full disk's cache eviction leave them, and the shop's "hafrec" schema stays as it is.
 *
 * Version history (never edit a released step; add a new one):
 * - v1: `weights` (key `key`): the JSON part of a saved model and its weight bytes.
 */
export const WEIGHTS_DB_NAME = 'hafrec-weights';
export const WEIGHTS_DB_VERSION = 1;

export interface SavedWeights {
  readonly key: string;
  /** Everything but the weight bytes (topology, weight specs, metadata), as the saver gave it. */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly data: ArrayBuffer;
  readonly savedAt: number;
}

export interface WeightsDB extends DBSchema {
  weights: { key: string; value: SavedWeights };
}

const SPEC: DbSpec<WeightsDB> = {
  version: WEIGHTS_DB_VERSION,
  upgrade: (db, oldVersion, target) => {
    if (oldVersion < 1 && target >= 1) db.createObjectStore('weights', { keyPath: 'key' });
  },
  requiredStores: (version) => (version >= 1 ? ['weights'] : []),
};

/** Each call opens and closes its connection: weights are read once per visit and saved rarely. */
async function withDb<T>(dbName: string, use: (db: IDBPDatabase<WeightsDB>) => Promise<T>): Promise<T> {
  const db = await openStoreDb(dbName, SPEC);
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

export function readSavedWeights(key: string, dbName = WEIGHTS_DB_NAME): Promise<SavedWeights | undefined> {
  return withDb(dbName, (db) => db.get('weights', key));
}

export function hasSavedWeights(key: string, dbName = WEIGHTS_DB_NAME): Promise<boolean> {
  return withDb(dbName, async (db) => (await db.getKey('weights', key)) !== undefined);
}

/** Replaces the weights saved under `weights.key` (one put: the old ones stay until it succeeds). */
export function saveWeights(weights: SavedWeights, dbName = WEIGHTS_DB_NAME): Promise<void> {
  return withDb(dbName, async (db) => void (await db.put('weights', weights)));
}

export function deleteSavedWeights(key: string, dbName = WEIGHTS_DB_NAME): Promise<void> {
  return withDb(dbName, (db) => db.delete('weights', key));
}

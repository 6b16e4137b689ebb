import type { IDBPDatabase } from 'idb';
import type { Modality } from '../catalog/features.ts';
import { EMBEDDING_DB_NAME, EMBEDDING_DB_VERSION, upgradeEmbeddingDb, type EmbeddingDB, type StoredVector } from './embedding-schema.ts';
import { openStoreDb, type DbSpec } from './open-db.ts';

export interface EmbeddingStoreOptions {
  /** IndexedDB database name (default "hafrec-embeddings"). */
  readonly name?: string;
  /** How long to wait for other tabs to release an older version before failing. */
  readonly blockedTimeoutMs?: number;
}

/**
 * The stored vectors of the embedding cache, as records. Encoding and decoding them
 * (quantization) is src/embedding's business; this is where they live.
 */
export interface EmbeddingStore {
  readonly name: string;
  /** The records of `hashes` in their order; undefined where none is stored. */
  getMany(model: string, modality: Modality, hashes: readonly string[]): Promise<(StoredVector | undefined)[]>;
  /** Stores the records in one transaction (all or none), replacing any with the same key. */
  putMany(records: readonly StoredVector[]): Promise<void>;
  count(model?: string): Promise<number>;
  /** Bytes of stored vector payloads, for one model or all. */
  payloadBytes(model?: string): Promise<number>;
  clear(model?: string): Promise<void>;
  close(): void;
}

const SPEC: DbSpec<EmbeddingDB> = {
  version: EMBEDDING_DB_VERSION,
  upgrade: (db, oldVersion, target) => upgradeEmbeddingDb(db, oldVersion, target),
  requiredStores: (version) => (version >= 1 ? ['vectors'] : []),
};

/**
 * Opens the embedding cache's database (typed StoreErrors when it cannot). The connection steps
 * aside when a newer tab upgrades the database; the next call reopens it.
 */
export async function openEmbeddingStore(options: EmbeddingStoreOptions = {}): Promise<EmbeddingStore> {
  const name = options.name ?? EMBEDDING_DB_NAME;
  let connection: Promise<IDBPDatabase<EmbeddingDB>> | undefined;
  const db = (): Promise<IDBPDatabase<EmbeddingDB>> => {
    const opening = (connection ??= openStoreDb(name, SPEC, {
      ...(options.blockedTimeoutMs === undefined ? {} : { blockedTimeoutMs: options.blockedTimeoutMs }),
      onClose: () => (connection = undefined),
    }));
    opening.catch(() => {
      if (connection === opening) connection = undefined;
    });
    return opening;
  };
  await db();
  return {
    name,
    getMany: async (model, modality, hashes) => getMany(await db(), model, modality, hashes),
    putMany: async (records) => putMany(await db(), records),
    count: async (model) => {
      const d = await db();
      return model === undefined ? d.count('vectors') : d.countFromIndex('vectors', 'model', model);
    },
    payloadBytes: async (model) => (await all(await db(), model)).reduce((sum, r) => sum + r.bytes.byteLength, 0),
    clear: async (model) => clear(await db(), model),
    close: () => {
      const open = connection;
      connection = undefined;
      void open?.then((d) => d.close(), () => undefined);
    },
  };
}

async function getMany(db: IDBPDatabase<EmbeddingDB>, model: string, modality: Modality, hashes: readonly string[]): Promise<(StoredVector | undefined)[]> {
  const tx = db.transaction('vectors', 'readonly');
  const records = await Promise.all(hashes.map((hash) => tx.store.get([model, modality, hash])));
  await tx.done;
  return records;
}

async function putMany(db: IDBPDatabase<EmbeddingDB>, records: readonly StoredVector[]): Promise<void> {
  const tx = db.transaction('vectors', 'readwrite');
  await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
}

function all(db: IDBPDatabase<EmbeddingDB>, model?: string): Promise<StoredVector[]> {
  return model === undefined ? db.getAll('vectors') : db.getAllFromIndex('vectors', 'model', model);
}

async function clear(db: IDBPDatabase<EmbeddingDB>, model?: string): Promise<void> {
  if (model === undefined) return db.clear('vectors');
  const tx = db.transaction('vectors', 'readwrite');
  const keys = await tx.store.index('model').getAllKeys(model);
  await Promise.all([...keys.map((key) => tx.store.delete(key)), tx.done]);
}

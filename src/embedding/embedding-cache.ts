/**
 * IndexedDB cache of item embeddings, keyed by (model id + revision, modality, content hash),
 * stored compactly (fp16 by default: 2 bytes per value; int8 + scale: 1 byte + 4 per row).
 * Its own small database, so the main 'hafrec' store can absorb it later without a migration here.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Modality } from '../catalog/features.ts';
import { EmbeddingCacheError } from './errors.ts';
import { QUANTIZATIONS, dequantizeRow, quantizeRow, rowBytes, type Quantization } from './quantize.ts';

export const EMBEDDING_DB_NAME = 'hafrec-embeddings';
const DB_VERSION = 1;

export interface CachedVector {
  readonly model: string;
  readonly modality: Modality;
  readonly hash: string;
  readonly dim: number;
  readonly quantization: Quantization;
  readonly bytes: ArrayBuffer;
}

interface EmbeddingDb extends DBSchema {
  vectors: { key: [string, string, string]; value: CachedVector; indexes: { model: string } };
}


export interface EmbeddingCacheOptions {
  readonly name?: string;
  readonly quantization?: Quantization;
}

export interface EmbeddingCache {
  readonly name: string;
  readonly quantization: Quantization;
  /** Cached vectors (unit length) in the order of `hashes`; undefined where missing or unreadable. */
  getMany(model: string, modality: Modality, hashes: readonly string[]): Promise<(Float32Array | undefined)[]>;
  putMany(model: string, modality: Modality, entries: readonly { hash: string; vector: Float32Array }[]): Promise<void>;
  count(model?: string): Promise<number>;
  /** Bytes of stored vector payloads (what the quantization saves), for one model or all. */
  payloadBytes(model?: string): Promise<number>;
  clear(model?: string): Promise<void>;
  close(): void;
}

function decode(record: CachedVector | undefined): Float32Array | undefined {
  if (!record || !QUANTIZATIONS.includes(record.quantization)) return undefined;
  if (record.bytes.byteLength !== rowBytes(record.quantization, record.dim)) return undefined;
  const out = new Float32Array(record.dim);
  dequantizeRow(new DataView(record.bytes), 0, record.quantization, out, 0, record.dim);
  return out;
}

export async function openEmbeddingCache(options: EmbeddingCacheOptions = {}): Promise<EmbeddingCache> {
  const name = options.name ?? EMBEDDING_DB_NAME;
  const quantization = options.quantization ?? 'fp16';
  if (!QUANTIZATIONS.includes(quantization)) {
    throw new EmbeddingCacheError(`quantization "${quantization}" is invalid: use ${QUANTIZATIONS.join(', ')}`);
  }
  let db: IDBPDatabase<EmbeddingDb>;
  try {
    db = await openDB<EmbeddingDb>(name, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const store = database.createObjectStore('vectors', { keyPath: ['model', 'modality', 'hash'] });
          store.createIndex('model', 'model');
        }
      },
    });
  } catch (error) {
    throw new EmbeddingCacheError(`cannot open IndexedDB database "${name}": ${(error as Error).message}`);
  }
  const all = (model?: string) =>
    model === undefined ? db.getAll('vectors') : db.getAllFromIndex('vectors', 'model', model);
  return {
    name,
    quantization,
    async getMany(model, modality, hashes) {
      const tx = db.transaction('vectors', 'readonly');
      const records = await Promise.all(hashes.map((hash) => tx.store.get([model, modality, hash])));
      await tx.done;
      return records.map(decode);
    },
    async putMany(model, modality, entries) {
      const tx = db.transaction('vectors', 'readwrite');
      const puts = entries.map(({ hash, vector }) => {
        const bytes = new ArrayBuffer(rowBytes(quantization, vector.length));
        quantizeRow(vector, quantization, new DataView(bytes), 0);
        return tx.store.put({ model, modality, hash, dim: vector.length, quantization, bytes });
      });
      await Promise.all([...puts, tx.done]);
    },
    async count(model) {
      return model === undefined ? db.count('vectors') : db.countFromIndex('vectors', 'model', model);
    },
    async payloadBytes(model) {
      return (await all(model)).reduce((sum, r) => sum + r.bytes.byteLength, 0);
    },
    async clear(model) {
      if (model === undefined) return db.clear('vectors');
      const tx = db.transaction('vectors', 'readwrite');
      const keys = await tx.store.index('model').getAllKeys(model);
      await Promise.all([...keys.map((key) => tx.store.delete(key)), tx.done]);
    },
    close: () => db.close(),
  };
}

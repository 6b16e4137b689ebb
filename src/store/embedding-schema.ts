import type { DBSchema, IDBPDatabase } from 'idb';
import type { Modality } from '../catalog/features.ts';

/**
 * The embedding cache's own database: item vectors keyed by (model id + revision, modality,
 * content hash). Separate from "hafrec" because it holds no shopper data: forget() and consent
 * leave it, and it can be dropped whole.
 *
 * Version history (never edit a released step; add a new one):
 * - v1: `vectors` (key [model, modality, hash], index `model`), written by src/embedding before
 *   src/store owned it; the format is unchanged.
 */
export const EMBEDDING_DB_VERSION = 1;
export const EMBEDDING_DB_NAME = 'hafrec-embeddings';

/**
 * One cached vector as stored. The store keeps the bytes as given: `quantization` names the
 * encoding (src/embedding's 'fp32' | 'fp16' | 'int8') and is checked by whoever decodes them.
 */
export interface StoredVector {
  readonly model: string;
  readonly modality: Modality;
  readonly hash: string;
  readonly dim: number;
  readonly quantization: string;
  readonly bytes: ArrayBuffer;
}

export interface EmbeddingDB extends DBSchema {
  vectors: { key: [string, string, string]; value: StoredVector; indexes: { model: string } };
}

/** The upgrade ladder; `target` is the version being opened (tests may stop earlier). */
export function upgradeEmbeddingDb(db: IDBPDatabase<EmbeddingDB>, oldVersion: number, target: number): void {
  if (oldVersion < 1 && target >= 1) {
    const store = db.createObjectStore('vectors', { keyPath: ['model', 'modality', 'hash'] });
    store.createIndex('model', 'model');
  }
}

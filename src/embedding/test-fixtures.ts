import type { Modality } from '../catalog/features.ts';
import type { CachedVector, VectorRecords } from './embedding-cache.ts';

/**
 * VectorRecords in memory, for tests of the encoding and of cache users: `shelf` plays the
 * database, so two caches over one shelf are two visits.
 */
export function memoryVectorRecords(name = 'memory', shelf = new Map<string, CachedVector>()): VectorRecords {
  const key = (model: string, modality: Modality, hash: string): string => JSON.stringify([model, modality, hash]);
  const of = (model?: string): CachedVector[] => [...shelf.values()].filter((r) => model === undefined || r.model === model);
  return {
    name,
    getMany: async (model, modality, hashes) => hashes.map((hash) => shelf.get(key(model, modality, hash))),
    putMany: async (records) => {
      for (const r of records) shelf.set(key(r.model, r.modality, r.hash), r);
    },
    count: async (model) => of(model).length,
    payloadBytes: async (model) => of(model).reduce((sum, r) => sum + r.bytes.byteLength, 0),
    clear: async (model) => {
      for (const r of of(model)) shelf.delete(key(r.model, r.modality, r.hash));
    },
    close: () => undefined,
  };
}

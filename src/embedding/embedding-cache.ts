/**
 * The embedding cache: item vectors keyed by (model id + revision, modality, content hash),
 * kept compactly (fp16 by default: 2 bytes per value; int8 + scale: 1 byte + 4 per row).
 * This file is the encoding; where the records live (IndexedDB "hafrec-embeddings") is
 * src/store's, reached through the VectorRecords port that the worker wires in.
 */
import type { Modality } from '../catalog/features.ts';
import { EmbeddingCacheError } from './errors.ts';
import { QUANTIZATIONS, dequantizeRow, quantizeRow, rowBytes, type Quantization } from './quantize.ts';

/** One vector as the cache writes it; `quantization` is read back as any string and checked. */
export interface CachedVector {
  readonly model: string;
  readonly modality: Modality;
  readonly hash: string;
  readonly dim: number;
  readonly quantization: string;
  readonly bytes: ArrayBuffer;
}

/** Where the records live: src/store's openEmbeddingStore() in the browser, anything alike in tests. */
export interface VectorRecords {
  readonly name: string;
  getMany(model: string, modality: Modality, hashes: readonly string[]): Promise<(CachedVector | undefined)[]>;
  putMany(records: readonly CachedVector[]): Promise<void>;
  count(model?: string): Promise<number>;
  payloadBytes(model?: string): Promise<number>;
  clear(model?: string): Promise<void>;
  close(): void;
}

export interface EmbeddingCacheOptions {
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

/** The quantization to write with (fp16 when unset); EmbeddingCacheError names the valid ones. */
export function cacheQuantization(quantization: Quantization | undefined): Quantization {
  const q = quantization ?? 'fp16';
  if (!QUANTIZATIONS.includes(q)) {
    throw new EmbeddingCacheError(`quantization "${q}" is invalid: use ${QUANTIZATIONS.join(', ')}`);
  }
  return q;
}

function decode(record: CachedVector | undefined): Float32Array | undefined {
  if (!record || !(QUANTIZATIONS as readonly string[]).includes(record.quantization)) return undefined;
  const quantization = record.quantization as Quantization;
  if (record.bytes.byteLength !== rowBytes(quantization, record.dim)) return undefined;
  const out = new Float32Array(record.dim);
  dequantizeRow(new DataView(record.bytes), 0, quantization, out, 0, record.dim);
  return out;
}

function encode(vector: Float32Array, quantization: Quantization): ArrayBuffer {
  const bytes = new ArrayBuffer(rowBytes(quantization, vector.length));
  quantizeRow(vector, quantization, new DataView(bytes), 0);
  return bytes;
}

/** The cache over `records`, writing new vectors with `options.quantization`. */
export function createEmbeddingCache(records: VectorRecords, options: EmbeddingCacheOptions = {}): EmbeddingCache {
  const quantization = cacheQuantization(options.quantization);
  return {
    name: records.name,
    quantization,
    getMany: async (model, modality, hashes) => (await records.getMany(model, modality, hashes)).map(decode),
    putMany: (model, modality, entries) =>
      records.putMany(entries.map(({ hash, vector }) => ({ model, modality, hash, dim: vector.length, quantization, bytes: encode(vector, quantization) }))),
    count: (model) => records.count(model),
    payloadBytes: (model) => records.payloadBytes(model),
    clear: (model) => records.clear(model),
    close: () => records.close(),
  };
}

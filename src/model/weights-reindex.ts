/**
 * Saved HAF weights re-indexed to another catalog BY ITEM ID, before any tensor exists: the
 * per-item tables (`item.id` [size + 1, d] and the `item.known` mask [size + 1]) are byte
 * rows in whatever storage the file uses (float32, float16, uint8 affine), so a row is moved
 * as bytes and nothing is dequantized twice. Catalog items the weights never saw get a zero
 * ID row and known = 0: the item tower then describes them by their content features alone
 * (and by the zero vector when they have none). Weight rows the catalog lacks are dropped.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import { CatalogMismatchError, WeightsFormatError } from './errors.ts';
import { catalogFingerprint } from '../catalog/fingerprint.ts';
import { parseManifest, type HafManifest } from './manifest.ts';
import { ITEM_ID, ITEM_KNOWN } from './param-layout.ts';

/** Tensors with one row per item (row 0 = padding). */
const PER_ITEM = new Set([ITEM_ID, ITEM_KNOWN]);

export interface ReindexedWeights {
  readonly artifacts: tf.io.ModelArtifacts;
  readonly manifest: HafManifest;
  /** Catalog items without a row in the weights (scored from content only). */
  readonly unknown: number;
  /** Weight rows whose item the catalog lacks. */
  readonly dropped: number;
}

export function bytesPerValue(spec: tf.io.WeightsManifestEntry): number {
  const q = spec.quantization?.dtype;
  if (q === 'uint8') return 1;
  if (q === 'float16' || q === 'uint16') return 2;
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  if (spec.dtype === 'bool') return 1;
  throw new WeightsFormatError(`weight "${spec.name}" has dtype ${spec.dtype}: valid are float32, int32, bool (optionally quantized)`);
}

/** The stored bytes of the value 0 for one value of `spec` (uint8 affine: round(-min / scale)). */
function zeroBytes(spec: tf.io.WeightsManifestEntry, width: number): Uint8Array {
  const out = new Uint8Array(width);
  const q = spec.quantization;
  if (q?.dtype === 'uint8' && q.scale) out[0] = Math.min(255, Math.max(0, Math.round(-(q.min ?? 0) / q.scale)));
  return out;
}

function concat(data: tf.io.WeightData | readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const parts: readonly (ArrayBuffer | Uint8Array)[] = Array.isArray(data) ? data : [data as ArrayBuffer];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b instanceof Uint8Array ? b : new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/** For each catalog index 0..size, the weights' row of the same item id, or -1. */
export function rowMap(ids: readonly string[], catalog: Catalog): Int32Array {
  const from = new Int32Array(catalog.size + 1).fill(-1);
  from[0] = 0;
  // Through the catalog's own id index, not a Map of the weights' ids (~100 MB for a million); a repeated id keeps its last row.
  ids.forEach((id, r) => {
    const i = catalog.findIndex(id);
    if (i !== undefined) from[i] = r + 1;
  });
  return from;
}

/** Rows `from` of a per-item tensor's bytes; -1 rows become stored zeros. */
function gatherRows(bytes: Uint8Array, spec: tf.io.WeightsManifestEntry, from: Int32Array): Uint8Array {
  const width = (spec.shape.slice(1).reduce((a, b) => a * b, 1)) * bytesPerValue(spec);
  const zero = zeroBytes(spec, bytesPerValue(spec));
  const out = new Uint8Array(from.length * width);
  from.forEach((src, i) => {
    if (src >= 0) out.set(bytes.subarray(src * width, (src + 1) * width), i * width);
    else for (let k = 0; k < width; k += zero.length) out.set(zero, i * width + k);
  });
  return out;
}

function checkDomains(manifest: HafManifest, catalog: Catalog): void {
  const saved = manifest.catalog.domains.join('/');
  if (saved !== catalog.domains.join('/')) {
    throw new CatalogMismatchError(
      `weights were trained for domains ${saved}; this catalog has ${catalog.domains.join('/')}: the domains (names and order) must be the same`,
    );
  }
}

/**
 * Weights for `catalog`: `ids[r - 1]` is the item id of row r of the saved weights (the
 * bundle manifest's `ids`). The result's manifest carries `catalog`'s fingerprint, so
 * loadHaf(tf.io.fromMemory(result.artifacts), catalog, features) accepts it.
 */
export function reindexWeights(artifacts: tf.io.ModelArtifacts, ids: readonly string[], catalog: Catalog): ReindexedWeights {
  const raw = (artifacts.userDefinedMetadata as { hafrec?: Record<string, unknown> } | undefined)?.hafrec;
  const manifest = parseManifest(raw);
  if (ids.length !== manifest.catalog.size) {
    throw new WeightsFormatError(`the weights have ${manifest.catalog.size} item rows but ${ids.length} item ids were given: give one id per row`);
  }
  checkDomains(manifest, catalog);
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new WeightsFormatError('the weights have no weight data');
  const from = rowMap(ids, catalog);
  const bytes = concat(artifacts.weightData);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const spec of artifacts.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1) * bytesPerValue(spec);
    const own = bytes.subarray(at, at + size);
    at += size;
    const perItem = PER_ITEM.has(spec.name);
    if (perItem && spec.shape[0] !== ids.length + 1) throw new WeightsFormatError(`weight "${spec.name}" has ${spec.shape[0]} rows; expected ${ids.length + 1}`);
    parts.push(perItem ? gatherRows(own, spec, from) : own);
    specs.push(perItem ? { ...spec, shape: [catalog.size + 1, ...spec.shape.slice(1)] } : spec);
  }
  const fingerprint = catalogFingerprint(catalog);
  const seen = new Set(Array.from(from.subarray(1)).filter((r) => r > 0));
  return {
    artifacts: { ...artifacts, weightSpecs: specs, weightData: concat(parts).buffer, userDefinedMetadata: { hafrec: { ...raw, catalog: fingerprint } } },
    manifest: { ...manifest, catalog: fingerprint },
    unknown: Array.from(from.subarray(1)).filter((r) => r < 0).length,
    dropped: ids.length - seen.size,
  };
}

/**
 * One binary file holding a catalog's frozen feature tables (one per modality), written by
 * `npm run embed` in Node and loaded by the browser instead of recomputing.
 *
 * Layout (little-endian):
 *   "HAFRFEAT" magic (8 bytes) | u32 header length | header JSON (UTF-8), zero-padded to 8 bytes |
 *   per table, at header.tables[k].offset from the start of the data area:
 *     present bitmap, ceil((size + 1) / 8) bytes, bit i = item i (LSB first), padded to 4 bytes;
 *     one row per present item in index order: fp32 | fp16 | (fp32 scale, int8 x dim).
 * Absent items take no bytes; decoding gives them zero rows with present = 0.
 */
import type { Catalog } from '../catalog/types.ts';
import { ID_FIELDS, itemsHash } from '../catalog/fingerprint.ts';
import type { FeatureTable, Modality } from '../catalog/features.ts';
import { MODALITIES } from '../catalog/features.ts';
import { FeatureFileError } from './errors.ts';
import { QUANTIZATIONS, dequantizeRow, quantizeRow, rowBytes, type Quantization } from './quantize.ts';
import { catalogIds } from '../catalog/catalog.ts';

export const FEATURE_FILE_FORMAT = 'hafrec-features';
/** 2: the catalog is identified by src/catalog's itemsHash (id + domain); 1 (still read): a SHA-256 of the ids. */
export const FEATURE_FILE_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
const MAGIC = 'HAFRFEAT';

export interface FeatureFileTableHeader {
  readonly modality: Modality;
  readonly encoder: string;
  readonly dim: number;
  readonly quantization: Quantization;
  /** Items with a vector. */
  readonly count: number;
  /** Byte offset of this table's bitmap from the start of the data area. */
  readonly offset: number;
  readonly bytes: number;
}

export interface FeatureFileHeader {
  readonly format: typeof FEATURE_FILE_FORMAT;
  readonly version: number;
  readonly catalog: { readonly name: string; readonly size: number; readonly idHash: string };
  readonly tables: readonly FeatureFileTableHeader[];
}

export interface FeatureFile {
  readonly header: FeatureFileHeader;
  readonly tables: readonly FeatureTable[];
}

/** How version 1 files identified their catalog: SHA-256 (hex) of the item ids in index order. */
async function version1IdHash(catalog: Catalog): Promise<string> {
  const bytes = new TextEncoder().encode(catalogIds(catalog).join('\n'));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const bitmapBytes = (rows: number): number => Math.ceil(Math.ceil(rows / 8) / 4) * 4;
const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

function checkTables(catalog: Catalog, tables: readonly FeatureTable[]): void {
  const seen = new Set<string>();
  for (const t of tables) {
    if (seen.has(t.modality)) throw new FeatureFileError(`two tables for modality "${t.modality}": a file holds one per modality`);
    seen.add(t.modality);
    if (t.vectors.length !== (catalog.size + 1) * t.dim || t.present.length !== catalog.size + 1) {
      throw new FeatureFileError(
        `table "${t.modality}" (${t.encoder}) has ${t.present.length} rows of dim ${t.dim} ` +
          `but catalog "${catalog.name}" needs ${catalog.size + 1} rows (size + 1, row 0 padding)`,
      );
    }
  }
}

export async function encodeFeatureFile(
  catalog: Catalog,
  tables: readonly FeatureTable[],
  quantization: Quantization = 'fp16',
): Promise<ArrayBuffer> {
  if (!QUANTIZATIONS.includes(quantization)) {
    throw new FeatureFileError(`quantization "${quantization}" is invalid: use ${QUANTIZATIONS.join(', ')}`);
  }
  checkTables(catalog, tables);
  const rows = catalog.size + 1;
  let offset = 0;
  const headers: FeatureFileTableHeader[] = tables.map((t) => {
    let count = 0;
    for (let i = 1; i < rows; i++) count += t.present[i] ? 1 : 0;
    const bytes = pad8(bitmapBytes(rows) + count * rowBytes(quantization, t.dim));
    const h = { modality: t.modality, encoder: t.encoder, dim: t.dim, quantization, count, offset, bytes };
    offset += bytes;
    return h;
  });
  const header: FeatureFileHeader = {
    format: FEATURE_FILE_FORMAT,
    version: FEATURE_FILE_VERSION,
    catalog: { name: catalog.name, size: catalog.size, idHash: itemsHash(catalog, ID_FIELDS) },
    tables: headers,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = pad8(12 + json.length);
  const buffer = new ArrayBuffer(dataStart + offset);
  const bytes = new Uint8Array(buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(buffer);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  tables.forEach((t, k) => writeTable(t, headers[k]!, view, dataStart));
  return buffer;
}

function writeTable(t: FeatureTable, h: FeatureFileTableHeader, view: DataView, dataStart: number): void {
  const base = dataStart + h.offset;
  const rows = t.present.length;
  let at = base + bitmapBytes(rows);
  const step = rowBytes(h.quantization, t.dim);
  for (let i = 1; i < rows; i++) {
    if (!t.present[i]) continue;
    view.setUint8(base + (i >> 3), view.getUint8(base + (i >> 3)) | (1 << (i & 7)));
    quantizeRow(t.vectors.subarray(i * t.dim, (i + 1) * t.dim), h.quantization, view, at);
    at += step;
  }
}

/** Reads and validates the header only (cheap: lets a caller check the catalog before decoding). */
export function readFeatureFileHeader(buffer: ArrayBuffer): { header: FeatureFileHeader; dataStart: number } {
  const fail = (why: string): never => {
    throw new FeatureFileError(`not a valid hafrec feature file: ${why}`);
  };
  if (buffer.byteLength < 12) fail(`${buffer.byteLength} bytes is shorter than the 12-byte preamble`);
  if (new TextDecoder().decode(new Uint8Array(buffer, 0, 8)) !== MAGIC) fail(`the file does not start with "${MAGIC}"`);
  const length = new DataView(buffer).getUint32(8, true);
  if (12 + length > buffer.byteLength) fail(`header length ${length} runs past the end (${buffer.byteLength} bytes)`);
  let header: FeatureFileHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(buffer, 12, length)));
  } catch (error) {
    return fail(`header is not JSON (${(error as Error).message})`);
  }
  if (header.format !== FEATURE_FILE_FORMAT) fail(`format "${String(header.format)}" is not "${FEATURE_FILE_FORMAT}"`);
  if (!READABLE_VERSIONS.includes(header.version)) {
    fail(`version ${String(header.version)} is not supported (this reader reads versions ${READABLE_VERSIONS.join(' and ')})`);
  }
  const dataStart = pad8(12 + length);
  for (const t of header.tables) {
    if (!MODALITIES.includes(t.modality)) fail(`modality "${t.modality}" is not one of ${MODALITIES.join(', ')}`);
    if (!QUANTIZATIONS.includes(t.quantization)) fail(`quantization "${t.quantization}" is not one of ${QUANTIZATIONS.join(', ')}`);
    if (dataStart + t.offset + t.bytes > buffer.byteLength) fail(`table "${t.modality}" is truncated`);
  }
  return { header, dataStart };
}

/**
 * Decodes every table to fp32 rows (row 0 padding, absent rows zero). With `catalog`, checks
 * that the file was made for exactly these item ids in this order.
 */
export async function decodeFeatureFile(buffer: ArrayBuffer, catalog?: Catalog): Promise<FeatureFile> {
  const { header, dataStart } = readFeatureFileHeader(buffer);
  if (catalog) {
    const idHash = header.version === 1 ? await version1IdHash(catalog) : itemsHash(catalog, ID_FIELDS);
    if (header.catalog.size !== catalog.size || header.catalog.idHash !== idHash) {
      throw new FeatureFileError(
        `feature file was made for catalog "${header.catalog.name}" (${header.catalog.size} items, ids ${header.catalog.idHash.slice(0, 12)}…), ` +
          `not for "${catalog.name}" (${catalog.size} items, ids ${idHash.slice(0, 12)}…): re-run npm run embed on this catalog`,
      );
    }
  }
  const view = new DataView(buffer);
  const rows = header.catalog.size + 1;
  const tables = header.tables.map((h) => readTable(view, dataStart, rows, h));
  return { header, tables };
}

function readTable(view: DataView, dataStart: number, rows: number, h: FeatureFileTableHeader): FeatureTable {
  const base = dataStart + h.offset;
  const vectors = new Float32Array(rows * h.dim);
  const present = new Uint8Array(rows);
  let at = base + bitmapBytes(rows);
  const step = rowBytes(h.quantization, h.dim);
  let count = 0;
  for (let i = 1; i < rows; i++) {
    if (!((view.getUint8(base + (i >> 3)) >> (i & 7)) & 1)) continue;
    if (++count > h.count || at + step > base + h.bytes) {
      throw new FeatureFileError(`table "${h.modality}": bitmap marks more than the ${h.count} items the header lists`);
    }
    present[i] = 1;
    dequantizeRow(view, at, h.quantization, vectors, i * h.dim, h.dim);
    at += step;
  }
  if (count !== h.count) throw new FeatureFileError(`table "${h.modality}": bitmap marks ${count} items, header lists ${h.count}`);
  return { modality: h.modality, encoder: h.encoder, dim: h.dim, vectors, present };
}

/** Browser (or Node 20) loader: fetches a feature file and decodes it, checked against `catalog`. */
export async function fetchFeatureFile(url: string, catalog?: Catalog, fetchImpl: typeof fetch = fetch): Promise<FeatureFile> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new FeatureFileError(`could not fetch feature file ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new FeatureFileError(`could not fetch feature file ${url}: HTTP ${response.status}`);
  return decodeFeatureFile(await response.arrayBuffer(), catalog);
}

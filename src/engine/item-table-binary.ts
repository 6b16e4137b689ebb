import type { ItemTableData } from '../model/recommender.ts';
import { ModelFormatError } from './errors.ts';

/**
 * A `haf` bundle's item vectors computed ahead (`haf/items.bin`): HAF's item tower output for
 * every row of the weights (row r = the manifest's `ids[r - 1]`, row 0 = padding), so the
 * worker neither computes the catalog's text features nor runs the item tower for them.
 * Layout, little-endian: "HFIT" | u32 header bytes | header JSON padded to 4 bytes
 * ({ version: 1, rows, dim, modalities, levels }) | per-row scale f32 x rows | vectors int8 x rows x dim
 * (value = int8 x scale, symmetric per row, |int8| <= levels) | modality weights uint8 x rows x modalities (/255).
 * `levels` 63 (7 bits) rather than 127 gzips ~12% smaller for Food-Kitchen at no loss on valid.
 */
const MAGIC = 0x54494648; // "HFIT"

export interface ItemTableHeader {
  readonly version: 1;
  readonly rows: number;
  readonly dim: number;
  /** Columns of the modality weights (1 + content modalities); 0 when the table has none. */
  readonly modalities: number;
  /** Largest |int8| code (127: 8 bits; 63: 7 bits). */
  readonly levels: number;
}

export const ITEM_LEVELS = 63;

function headerBytes(header: ItemTableHeader): Uint8Array {
  const text = JSON.stringify(header);
  const pad = (4 - (new TextEncoder().encode(text).length % 4)) % 4;
  return new TextEncoder().encode(text + ' '.repeat(pad));
}

export function encodeItemTable(table: ItemTableData, rows: number, levels = ITEM_LEVELS): Uint8Array {
  const dim = table.vectors.length / rows;
  const modalities = table.alpha ? table.alpha.length / rows : 0;
  const scales = new Float32Array(rows);
  const codes = new Int8Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let k = 0; k < dim; k++) max = Math.max(max, Math.abs(table.vectors[r * dim + k]!));
    const scale = Math.fround(max / levels);
    scales[r] = scale;
    for (let k = 0; k < dim; k++) codes[r * dim + k] = scale === 0 ? 0 : Math.round(table.vectors[r * dim + k]! / (max / levels));
  }
  const alpha = table.alpha ? Uint8Array.from(table.alpha, (a) => Math.round(Math.min(1, Math.max(0, a)) * 255)) : undefined;
  return writeItemTable({ header: { version: 1, rows, dim, modalities, levels }, scales, codes, ...(alpha ? { alpha } : {}) });
}

/** items.bin of codes already quantized (a table too large for one float copy is quantized row by row). */
export function writeItemTable({ header, scales, codes, alpha }: StoredItemTable): Uint8Array {
  const { rows, dim, modalities } = header;
  const json = headerBytes(header);
  const start = 8 + json.length;
  const out = new Uint8Array(start + 4 * rows + rows * dim + rows * modalities);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  for (let r = 0; r < rows; r++) view.setFloat32(start + 4 * r, scales[r]!, true);
  out.set(new Uint8Array(codes.buffer, codes.byteOffset, rows * dim), start + 4 * rows);
  if (alpha) out.set(alpha.subarray(0, rows * modalities), start + 4 * rows + rows * dim);
  return out;
}

/** items.bin as stored: the int8 codes and per-row scales (no float copy), and the raw modality weights. */
export interface StoredItemTable {
  readonly header: ItemTableHeader;
  /** [rows] value = code x scale. */
  readonly scales: Float32Array;
  /** [rows * dim] codes, |code| <= levels; a view of the file's bytes. */
  readonly codes: Int8Array;
  /** [rows * modalities] weight x 255; a view of the file's bytes; absent without modalities. */
  readonly alpha?: Uint8Array;
}

export function readItemTable(bytes: ArrayBuffer, url: string): StoredItemTable {
  const view = new DataView(bytes);
  if (view.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new ModelFormatError(url, 'not a hafrec item table (expected the "HFIT" magic)');
  const length = view.getUint32(4, true);
  let header: ItemTableHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 8, length))) as ItemTableHeader;
  } catch {
    throw new ModelFormatError(url, 'the item table\'s header is not valid JSON');
  }
  const { rows, dim, modalities } = header;
  const start = 8 + length;
  if (header.version !== 1 || !(header.levels >= 1 && header.levels <= 127)) throw new ModelFormatError(url, `item table version ${String(header.version)} is not supported (valid: 1)`);
  if (view.byteLength < start + 4 * rows + rows * dim + rows * modalities) throw new ModelFormatError(url, 'the item table is truncated');
  // Read through the DataView: the file is little-endian whatever the platform's order.
  const scales = Float32Array.from({ length: rows }, (_, r) => view.getFloat32(start + 4 * r, true));
  const codes = new Int8Array(bytes, start + 4 * rows, rows * dim);
  if (modalities === 0) return { header, scales, codes };
  return { header, scales, codes, alpha: new Uint8Array(bytes, start + 4 * rows + rows * dim, rows * modalities) };
}

export function decodeItemTable(bytes: ArrayBuffer, url: string): { header: ItemTableHeader; table: ItemTableData } {
  const { header, scales, codes, alpha } = readItemTable(bytes, url);
  const { rows, dim } = header;
  const vectors = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) vectors[r * dim + k] = codes[r * dim + k]! * scales[r]!;
  }
  if (!alpha) return { header, table: { vectors } };
  return { header, table: { vectors, alpha: Float32Array.from(alpha, (v) => v / 255) } };
}

/** The table's rows for `catalog` rows: from[i] = bundle row of catalog row i, or -1 (left zero, to compute). */
export function gatherTable(table: ItemTableData, header: ItemTableHeader, from: Int32Array): ItemTableData {
  const { dim, modalities } = header;
  const vectors = new Float32Array(from.length * dim);
  const alpha = table.alpha ? new Float32Array(from.length * modalities) : undefined;
  from.forEach((src, i) => {
    if (src < 0) return;
    vectors.set(table.vectors.subarray(src * dim, (src + 1) * dim), i * dim);
    if (alpha) alpha.set(table.alpha!.subarray(src * modalities, (src + 1) * modalities), i * modalities);
  });
  return alpha ? { vectors, alpha } : { vectors };
}

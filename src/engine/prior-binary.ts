import type { CooccurrenceParams, TransitionTable } from '../eval/baselines/cooccurrence.ts';
import { fromHalf, toHalf } from '../catalog/float16.ts';
import { ModelFormatError } from './errors.ts';

/**
 * The co-occurrence prior of a `haf` bundle as one binary file (`prior.bin`), about a fifth of
 * the JSON `cooccurrence` file gzipped. Its rows are the bundle manifest's `ids` (row r is
 * `ids[r - 1]`), so the ids are not repeated. Layout, little-endian:
 *   "HFPR" | u32 header bytes | header JSON (utf-8, padded with spaces to 4 bytes)
 *   popularity f32 x (rows + 1) | row lengths u16 x rows | targets u16|u32 x edges | weights f16 x edges
 * Each row's targets are ascending and stored as the first one, then the differences.
 * header: { version: 1, rows, edges, targetBytes: 2|4, params, top, source? }.
 * `top` > 0: each row keeps its `top` heaviest transitions (chosen on valid by the bundle).
 */
const MAGIC = 0x52504648; // "HFPR"

export interface PriorHeader {
  readonly version: 1;
  readonly rows: number;
  readonly edges: number;
  readonly targetBytes: 2 | 4;
  readonly params: CooccurrenceParams;
  /** Transitions kept per row; 0 = all. */
  readonly top: number;
  readonly source?: string;
}

export interface BinaryPrior {
  readonly header: PriorHeader;
  /** Rows as manifest rows (1-based): row r spans offsets[r]..offsets[r+1]; targets are rows. */
  readonly table: TransitionTable;
  readonly popularity: Float32Array;
}

/** Keeps each row's `top` heaviest transitions (ties: lower target first), in target order. */
export function cutTable(table: TransitionTable, top: number): TransitionTable {
  if (top <= 0) return table;
  const slots = table.offsets.length - 1;
  const offsets = new Uint32Array(slots + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  for (let r = 0; r < slots; r++) {
    const edges = Array.from({ length: table.offsets[r + 1]! - table.offsets[r]! }, (_, k) => table.offsets[r]! + k);
    const kept = edges.sort((a, b) => table.weights[b]! - table.weights[a]! || table.targets[a]! - table.targets[b]!).slice(0, top).sort((a, b) => table.targets[a]! - table.targets[b]!);
    for (const e of kept) (targets.push(table.targets[e]!), weights.push(table.weights[e]!));
    offsets[r + 1] = targets.length;
  }
  return { offsets, targets: Int32Array.from(targets), weights: Float32Array.from(weights) };
}

/** Encodes a table whose rows are 1..rows (offsets has rows + 2 entries, as countTransitions writes). */
export function encodePrior(table: TransitionTable, popularity: ArrayLike<number>, header: Omit<PriorHeader, 'version' | 'rows' | 'edges' | 'targetBytes'>): Uint8Array {
  const rows = table.offsets.length - 2;
  const edges = table.targets.length;
  const targetBytes = rows < 65_536 ? 2 : 4;
  const text = JSON.stringify({ version: 1, rows, edges, targetBytes, ...header });
  const json = new TextEncoder().encode(text + ' '.repeat((4 - (new TextEncoder().encode(text).length % 4)) % 4));
  const size = 8 + json.length + 4 * (rows + 1) + 2 * rows + targetBytes * edges + 2 * edges;
  const buffer = new ArrayBuffer(size + ((4 - (size % 4)) % 4));
  const view = new DataView(buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  new Uint8Array(buffer, 8, json.length).set(json);
  let at = 8 + json.length;
  for (let r = 0; r <= rows; r++, at += 4) view.setFloat32(at, popularity[r] ?? 0, true);
  for (let r = 1; r <= rows; r++, at += 2) view.setUint16(at, Math.min(65_535, table.offsets[r + 1]! - table.offsets[r]!), true);
  const deltas = targetDeltas(table);
  for (let e = 0; e < edges; e++, at += targetBytes) (targetBytes === 2 ? view.setUint16(at, deltas[e]!, true) : view.setUint32(at, deltas[e]!, true));
  for (let e = 0; e < edges; e++, at += 2) view.setUint16(at, toHalf(table.weights[e]!), true);
  return new Uint8Array(buffer, 0, size);
}

/** Each row's targets (ascending) as the first target, then differences: small numbers that gzip well. */
function targetDeltas(table: TransitionTable): Int32Array {
  const out = Int32Array.from(table.targets);
  for (let r = 0; r + 1 < table.offsets.length; r++) {
    for (let e = table.offsets[r + 1]! - 1; e > table.offsets[r]!; e--) out[e] = table.targets[e]! - table.targets[e - 1]!;
  }
  return out;
}

function undoDeltas(offsets: Uint32Array, targets: Int32Array): void {
  for (let r = 0; r + 1 < offsets.length; r++) {
    for (let e = offsets[r]! + 1; e < offsets[r + 1]!; e++) targets[e] = targets[e]! + targets[e - 1]!;
  }
}

function readHeader(view: DataView, url: string): { header: PriorHeader; at: number } {
  if (view.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new ModelFormatError(url, 'not a hafrec binary prior (expected the "HFPR" magic)');
  const length = view.getUint32(4, true);
  let header: PriorHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + 8, length))) as PriorHeader;
  } catch {
    throw new ModelFormatError(url, 'the binary prior\'s header is not valid JSON');
  }
  if (header.version !== 1 || !(header.targetBytes === 2 || header.targetBytes === 4)) throw new ModelFormatError(url, `binary prior version ${String(header.version)} is not supported (valid: 1)`);
  const need = 8 + length + 4 * (header.rows + 1) + 2 * header.rows + (header.targetBytes + 2) * header.edges;
  if (view.byteLength < need) throw new ModelFormatError(url, `the binary prior is truncated (${view.byteLength} of ${need} bytes)`);
  return { header, at: 8 + length };
}

/** Decodes prior.bin; rows are the bundle manifest's rows (1-based). */
export function decodePrior(bytes: ArrayBuffer, url: string): BinaryPrior {
  const view = new DataView(bytes);
  const { header, at: start } = readHeader(view, url);
  const { rows, edges, targetBytes } = header;
  let at = start;
  const popularity = new Float32Array(rows + 1);
  for (let r = 0; r <= rows; r++, at += 4) popularity[r] = view.getFloat32(at, true);
  const offsets = new Uint32Array(rows + 2);
  for (let r = 1; r <= rows; r++, at += 2) offsets[r + 1] = offsets[r]! + view.getUint16(at, true);
  if (offsets[rows + 1] !== edges) throw new ModelFormatError(url, `row lengths add up to ${offsets[rows + 1]}, not ${edges} edges`);
  const targets = new Int32Array(edges);
  for (let e = 0; e < edges; e++, at += targetBytes) targets[e] = targetBytes === 2 ? view.getUint16(at, true) : view.getUint32(at, true);
  undoDeltas(offsets, targets);
  const weights = new Float32Array(edges);
  for (let e = 0; e < edges; e++, at += 2) weights[e] = fromHalf(view.getUint16(at, true));
  return { header, table: { offsets, targets, weights }, popularity };
}

/**
 * Item vectors stored as int8 with one float scale per row (symmetric, per-row absmax): a
 * quarter of float32's bytes, which is what lets a million-item domain stay in a worker's
 * memory. Rows are padded to a multiple of 16 values so the SIMD kernel reads whole vectors.
 */
export interface Int8Rows {
  readonly rows: number;
  /** The vectors' width. */
  readonly dim: number;
  /** dim rounded up to a multiple of 16: the stride of `codes`. */
  readonly stride: number;
  /** [rows, stride] codes in -127..127; padding columns are 0. */
  readonly codes: Int8Array;
  /** [rows] value = code * scale. */
  readonly scales: Float32Array;
}

export const INT8_LANES = 16;

export function paddedDim(dim: number): number {
  return Math.ceil(dim / INT8_LANES) * INT8_LANES;
}

/** Quantizes [rows, dim] float vectors (row-major) to int8 rows. */
export function quantizeRows(vectors: Float32Array, dim: number): Int8Rows {
  if (!Number.isInteger(dim) || dim < 1 || vectors.length % dim !== 0) {
    throw new RangeError(`quantizeRows: ${vectors.length} values are not whole rows of width ${dim}`);
  }
  const table = emptyRows(vectors.length / dim, dim);
  for (let r = 0; r < table.rows; r++) writeRow(table, r, vectors.subarray(r * dim, (r + 1) * dim));
  return table;
}

/** [rows, dim] int8 rows, all zero (to be filled with writeRow). */
export function emptyRows(rows: number, dim: number): Int8Rows {
  const stride = paddedDim(dim);
  return { rows, dim, stride, codes: new Int8Array(rows * stride), scales: new Float32Array(rows) };
}

/** Quantizes one float vector [dim] into row `r` of `table` (per-row absmax / 127). */
export function writeRow(table: Int8Rows, r: number, vector: ArrayLike<number>): void {
  const { dim, stride, codes, scales } = table;
  let max = 0;
  for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(vector[j]!));
  const scale = max / 127;
  scales[r] = scale;
  for (let j = 0; j < dim; j++) codes[r * stride + j] = scale === 0 ? 0 : Math.round(vector[j]! / scale);
}

/** Float vectors of some rows, [indices.length, dim] row-major (for the sequence encoder). */
export function dequantizeRows(table: Int8Rows, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * table.dim);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    const scale = table.scales[r]!;
    for (let j = 0; j < table.dim; j++) out[i * table.dim + j] = table.codes[r * table.stride + j]! * scale;
  }
  return out;
}

/** Widest row the int32 accumulator holds exactly: 127 x 32767 x 512 < 2^31. */
export const MAX_INT8_STRIDE = 512;

/**
 * The query as int16 with one scale: int16 keeps the query's rounding ~256x below the
 * table's, and int8 x int16 products summed over a row of at most 512 fit int32 exactly.
 */
export function quantizeQuery(query: Float32Array, stride: number): { codes: Int16Array; scale: number } {
  if (stride > MAX_INT8_STRIDE) throw new RangeError(`quantizeQuery: width ${stride} is over ${MAX_INT8_STRIDE}`);
  let max = 0;
  for (const v of query) max = Math.max(max, Math.abs(v));
  const scale = max / 32767;
  const codes = new Int16Array(stride);
  if (scale > 0) for (let j = 0; j < query.length; j++) codes[j] = Math.round(query[j]! / scale);
  return { codes, scale };
}

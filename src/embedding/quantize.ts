/**
 * Compact storage of unit vectors: IEEE half floats, or int8 with one fp32 scale per row.
 * Node 20 has no Float16Array, so the conversion is written out (round to nearest even).
 */
export const QUANTIZATIONS = ['fp32', 'fp16', 'int8'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (rest > mid || (rest === mid && half & 1) ? half + 1 : half);
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Bytes one stored row of `dim` values takes. */
export function rowBytes(quantization: Quantization, dim: number): number {
  if (quantization === 'fp32') return 4 * dim;
  if (quantization === 'fp16') return 2 * dim;
  return dim + 4;
}

/** Encodes one row into `out` at `offset` (byte offset; little-endian). */
export function quantizeRow(row: ArrayLike<number>, quantization: Quantization, out: DataView, offset: number): void {
  const dim = row.length;
  if (quantization === 'fp32') {
    for (let j = 0; j < dim; j++) out.setFloat32(offset + 4 * j, row[j]!, true);
  } else if (quantization === 'fp16') {
    for (let j = 0; j < dim; j++) out.setUint16(offset + 2 * j, toHalf(row[j]!), true);
  } else {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(row[j]!));
    const scale = max / 127;
    out.setFloat32(offset, scale, true);
    for (let j = 0; j < dim; j++) out.setInt8(offset + 4 + j, scale === 0 ? 0 : Math.round(row[j]! / scale));
  }
}

/** Decodes one row and re-normalizes it to unit length (quantization nudges the norm). */
export function dequantizeRow(
  input: DataView,
  offset: number,
  quantization: Quantization,
  out: Float32Array,
  outOffset: number,
  dim: number,
): void {
  let norm = 0;
  for (let j = 0; j < dim; j++) {
    let v: number;
    if (quantization === 'fp32') v = input.getFloat32(offset + 4 * j, true);
    else if (quantization === 'fp16') v = fromHalf(input.getUint16(offset + 2 * j, true));
    else v = input.getInt8(offset + 4 + j) * input.getFloat32(offset, true);
    out[outOffset + j] = v;
    norm += v * v;
  }
  if (quantization === 'fp32' || norm === 0) return;
  const inv = 1 / Math.sqrt(norm);
  for (let j = 0; j < dim; j++) out[outOffset + j]! *= inv;
}

/**
 * Compact storage of unit vectors: IEEE half floats, or int8 with one fp32 scale per row.
 */
import { fromHalf, toHalf } from '../catalog/float16.ts';

export const QUANTIZATIONS = ['fp32', 'fp16', 'int8'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

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

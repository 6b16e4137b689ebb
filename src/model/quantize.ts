/**
 * Byte encodings of weight tensors in the tfjs weights format: float32 as is, or the
 * quantized forms tfjs' own decodeWeights dequantizes (float16; uint8 affine per tensor,
 * value = min + q * scale).
 */
import type * as tf from '@tensorflow/tfjs';
import { toHalf } from '../catalog/float16.ts';

export const QUANTIZATIONS = ['float32', 'float16', 'uint8'] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

export interface EncodedWeight {
  readonly spec: tf.io.WeightsManifestEntry;
  readonly bytes: Uint8Array;
}

export function encodeWeight(name: string, shape: number[], values: Float32Array, q: Quantization): EncodedWeight {
  if (q === 'float32') {
    return { spec: { name, shape, dtype: 'float32' }, bytes: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) };
  }
  if (q === 'float16') {
    const half = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) half[i] = toHalf(values[i] as number);
    return { spec: { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }, bytes: new Uint8Array(half.buffer) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) min = max = 0;
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(((values[i] as number) - min) / scale);
  return { spec: { name, shape, dtype: 'float32', quantization: { dtype: 'uint8', min, scale } }, bytes };
}

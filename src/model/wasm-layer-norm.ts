/**
 * Layer norm as one wasm-backend kernel written in JS over the wasm heap, for inference. The
 * composite (mean, sub, square, mean, add, rsqrt, mul, mul, add) is nine kernels of ~13 us
 * host overhead each: ~140 us for a [50, 64] history against ~60 us here, about ten per
 * recommendation. Same arithmetic, with the row statistics in float64.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm-backend.ts';

export const LAYER_NORM_KERNEL = 'HafLayerNorm';
export const LAYER_NORM_EPSILON = 1e-6;

/** inputs {x [..., d], gamma [d], beta [d]} -> y like x. */
export const wasmLayerNorm: tf.KernelFunc = ({ inputs, backend }) => {
  const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const b = backend as unknown as WasmBackendLike;
  const d = x.shape[x.shape.length - 1]!;
  const y = b.makeOutput([...x.shape], 'float32');
  // Taken after makeOutput: an allocation can grow (replace) the heap.
  const heap = new Float32Array(b.wasm.HEAPU8.buffer);
  const at = (t: tf.TensorInfo): number => b.dataIdMap.get(t.dataId)!.memoryOffset >>> 2;
  normalizeRows(heap, tf.util.sizeFromShape(x.shape) / d, d, [at(x), at(gamma), at(beta), at(y)]);
  return y;
};

/** Layer norm of `rows` rows of width d; offsets (in floats) of x, gamma, beta and y in the heap (also the one-shopper forward pass). */
export function normalizeRows(heap: Float32Array, rows: number, d: number, offsets: readonly number[]): void {
  const [xo, go, bo, yo] = offsets as [number, number, number, number];
  for (let r = 0; r < rows; r++) {
    const start = xo + r * d;
    let sum = 0;
    for (let j = 0; j < d; j++) sum += heap[start + j]!;
    const mean = sum / d;
    let squares = 0;
    for (let j = 0; j < d; j++) {
      const c = heap[start + j]! - mean;
      squares += c * c;
    }
    const inv = 1 / Math.sqrt(squares / d + LAYER_NORM_EPSILON);
    const out = yo + r * d;
    for (let j = 0; j < d; j++) heap[out + j] = (heap[start + j]! - mean) * inv * heap[go + j]! + heap[bo + j]!;
  }
}

/**
 * Layer norm's value from the fused kernel when the wasm backend runs with it installed, else
 * undefined. It has no gradient: for inference only (training keeps the composite, measured
 * no faster fused on [B * T, d] batches).
 */
export function fusedLayerNormValue(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor | undefined {
  if (tf.getBackend() !== 'wasm' || !tf.getKernel(LAYER_NORM_KERNEL, 'wasm')) return undefined;
  return tf.engine().runKernel(LAYER_NORM_KERNEL, { x, gamma, beta }) as tf.Tensor;
}

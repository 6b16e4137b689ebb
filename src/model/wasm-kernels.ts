/**
 * Kernel fixes for tfjs-backend-wasm 4.22, installed by selectBackend (backend.ts). Same values
 * as the kernels they replace, bit for bit; string tensors keep the original kernels.
 *
 * Identity copies the tensor's bytes. The engine runs Identity (engine.clone) for every
 * tensor it keeps for the backward pass, so one default training step copied ~240 MB.
 * Tensors are immutable, so the cpu backend's Identity shares the buffer under a reference
 * count instead (wasm's own Reshape does the same): this registers that for wasm too.
 *
 * Slice (and SplitV, Unpack, which call it once per output) first copies its WHOLE input
 * out of the wasm heap into a new JS array (backend.readSync), then copies the part it
 * wants back in, row by row with a new subarray per row: a third of a [6144, 64] tensor
 * took ~1 ms, splitting it in three ~3 ms, and the gradient of a concat is such a split.
 * The versions here copy only the slice, heap to heap, with copyWithin per contiguous run.
 */
import * as tf from '@tensorflow/tfjs';
import { LAYER_NORM_KERNEL, wasmLayerNorm } from './wasm-layer-norm.ts';
import type { WasmBackendLike } from './wasm-backend.ts';

const originals = new Map<string, tf.KernelFunc>();

const byOriginal = (name: string, args: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc> => originals.get(name)!(args);

/** Buffers are reference-counted and never written in place, so a clone can share one. */
const sharedIdentity: tf.KernelFunc = (args) => {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  // String tensors live in JS, not in the wasm heap: keep the original path for them.
  if (x.dtype === 'string') return byOriginal('Identity', args);
  (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** A view of the whole heap in elements of `dtype` (float32 copied as raw int32 bits). */
function heapOf(backend: WasmBackendLike, dtype: tf.DataType): Int32Array | Uint8Array {
  const buffer = backend.wasm.HEAPU8.buffer;
  return dtype === 'bool' ? new Uint8Array(buffer) : new Int32Array(buffer);
}

/** Element offset of a tensor in heapOf(backend, its dtype). */
function elementOffset(backend: WasmBackendLike, info: tf.TensorInfo): number {
  const bytes = backend.dataIdMap.get(info.dataId)!.memoryOffset;
  return info.dtype === 'bool' ? bytes : bytes >>> 2;
}

/** Shorter contiguous runs are copied element by element (copyWithin's call costs more). */
const SHORT_RUN = 16;

/**
 * Copies x[begin : begin + size] into a new tensor. Trailing axes the slice takes whole are
 * merged with the last partial axis into one contiguous run; the axes before it are walked
 * like an odometer.
 */
function sliceInfo(backend: WasmBackendLike, x: tf.TensorInfo, begin: readonly number[], size: readonly number[]): tf.TensorInfo {
  // makeOutput may grow the heap (a new buffer), so the heap view is taken after it.
  const out = backend.makeOutput([...size], x.dtype);
  const count = size.reduce((a, b) => a * b, 1);
  if (count === 0) return out;
  const heap = heapOf(backend, x.dtype);
  const strides = tf.util.computeStrides(x.shape);
  let axis = x.shape.length - 1;
  while (axis >= 0 && size[axis] === x.shape[axis]) axis--;
  const inner = axis < 0 ? count : (strides[axis] ?? 1);
  const run = axis < 0 ? count : size[axis]! * inner;
  let src = elementOffset(backend, x) + begin.reduce((a, b, i) => a + b * (strides[i] ?? 1), 0);
  let dst = elementOffset(backend, out);
  const index = new Array<number>(Math.max(axis, 0)).fill(0);
  for (let done = 0; done < count; done += run) {
    if (run < SHORT_RUN) for (let j = 0; j < run; j++) heap[dst + j] = heap[src + j]!;
    else heap.copyWithin(dst, src, src + run);
    dst += run;
    for (let k = axis - 1; k >= 0; k--) {
      src += strides[k]!;
      if (++index[k]! < size[k]!) break;
      src -= size[k]! * strides[k]!;
      index[k] = 0;
    }
  }
  return out;
}

const slice: tf.KernelFunc = (args) => {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  if (x.dtype === 'string') return byOriginal('Slice', args);
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
  return sliceInfo(args.backend as unknown as WasmBackendLike, x, b, s);
};

const splitV: tf.KernelFunc = (args) => {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  if (x.dtype === 'string') return byOriginal('SplitV', args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, along);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[along] = s;
    const out = sliceInfo(args.backend as unknown as WasmBackendLike, x, begin, size);
    begin[along]! += s;
    return out;
  });
};

const unpack: tf.KernelFunc = (args) => {
  const value = (args.inputs as { value: tf.TensorInfo }).value;
  if (value.dtype === 'string') return byOriginal('Unpack', args);
  const rank = value.shape.length;
  const along = ((args.attrs as unknown as { axis: number }).axis + rank) % rank;
  const shape = value.shape.filter((_, i) => i !== along);
  const size = value.shape.map((n, i) => (i === along ? 1 : n));
  return Array.from({ length: value.shape[along]! }, (_, i) => {
    const begin = value.shape.map((_, k) => (k === along ? i : 0));
    const out = sliceInfo(args.backend as unknown as WasmBackendLike, value, begin, size);
    return { dataId: out.dataId, dtype: out.dtype, shape };
  });
};

const FIXES: Readonly<Record<string, tf.KernelFunc>> = { Identity: sharedIdentity, Slice: slice, SplitV: splitV, Unpack: unpack };

/**
 * Registers every fix above on the wasm backend, and the fused layer norm
 * (wasm-layer-norm.ts); idempotent, other backends untouched.
 */
export function installWasmKernels(): void {
  if (!tf.getKernel(LAYER_NORM_KERNEL, 'wasm')) tf.registerKernel({ kernelName: LAYER_NORM_KERNEL, backendName: 'wasm', kernelFunc: wasmLayerNorm });
  for (const [name, kernelFunc] of Object.entries(FIXES)) {
    const current = tf.getKernel(name, 'wasm');
    if (!current || current.kernelFunc === kernelFunc) continue;
    originals.set(name, current.kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...current, kernelFunc });
  }
}

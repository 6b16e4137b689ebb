/**
 * tfjs-backend-webgpu 4.22 keeps every released GPU buffer in a pool keyed by exact size and
 * never frees it. Training makes tensors of ever new sizes (batches differ in length, item
 * count and negatives), so the pool only grows: on an H100 it took all 80 GB after ~100
 * full-softmax steps (docs/experiments.md, "On a real GPU"). Trimming destroys the idle buffers once they pass a
 * budget; buffers in use are untouched, and WebGPU lets a buffer be destroyed while submitted
 * work that reads it is still in flight.
 */
import * as tf from '@tensorflow/tfjs';

/** The fields of tfjs-webgpu's BufferManager this relies on (checked before use). */
export interface BufferPoolLike {
  freeBuffers: Map<string, { readonly size: number; destroy(): void }[]>;
  numFreeBuffers: number;
  numBytesAllocated: number;
  numBytesUsed: number;
}

/** Idle GPU memory allowed before the pool is trimmed. */
export const IDLE_BUFFER_BUDGET_BYTES = 256 * 2 ** 20;

function isPool(x: unknown): x is BufferPoolLike {
  const p = x as Partial<BufferPoolLike> | undefined;
  return p?.freeBuffers instanceof Map && typeof p.numBytesAllocated === 'number' && typeof p.numBytesUsed === 'number';
}

/** Destroys the pool's idle buffers when they exceed `budget` bytes; returns the bytes freed. */
export function trimPool(pool: BufferPoolLike, budget = IDLE_BUFFER_BUDGET_BYTES): number {
  if (pool.numBytesAllocated - pool.numBytesUsed <= budget) return 0;
  let freed = 0;
  for (const buffers of pool.freeBuffers.values()) {
    for (const buffer of buffers) {
      buffer.destroy();
      freed += buffer.size;
    }
    // Keys stay (with empty lists): releaseBuffer ignores buffers when the map is empty.
    buffers.length = 0;
  }
  pool.numFreeBuffers = 0;
  pool.numBytesAllocated -= freed;
  return freed;
}

/** trimPool on the active backend when it is webgpu; 0 elsewhere. */
export function trimWebGpuBuffers(budget = IDLE_BUFFER_BUDGET_BYTES): number {
  if (tf.getBackend() !== 'webgpu') return 0;
  const pool = (tf.backend() as unknown as { bufferManager?: unknown }).bufferManager;
  return isPool(pool) ? trimPool(pool, budget) : 0;
}

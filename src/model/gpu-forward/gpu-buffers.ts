/**
 * The fused pass's GPU buffers: the model and item tables uploaded once, the per-call request
 * and parameters (written before each submit), the scratch the kernels hand each other, and
 * one mappable buffer that the single read-back of a call lands in: the scores or top-k,
 * then the explanation buffer (the attention an explanation reports).
 */
import { TOP_K_CHUNK, TOP_K_MAX } from './wgsl-top-k.ts';
import { PARAM_WORDS, excludeAt, explainFloats, scratchFloats } from './wgsl-common.ts';

export interface BufferSizes {
  readonly d: number;
  readonly maxLength: number;
  readonly views: number;
  /** Items of the largest domain. */
  readonly largest: number;
}

export interface GpuBuffers {
  readonly weights: GPUBuffer;
  readonly table: GPUBuffer;
  readonly tables: GPUBuffer;
  readonly viewAt: GPUBuffer;
  readonly params: GPUBuffer;
  request: GPUBuffer;
  /** Excluded positions the request buffer has room for. */
  excludeRoom: number;
  readonly scratch: GPUBuffer;
  readonly hidden: GPUBuffer;
  readonly user: GPUBuffer;
  readonly scores: GPUBuffer;
  readonly partial: GPUBuffer;
  readonly best: GPUBuffer;
  /** [V + L] domain attention, then the explained view's attention row (explainFloats). */
  readonly why: GPUBuffer;
  readonly readBack: GPUBuffer;
}

/** Bytes, at least 16 (a binding may not be empty) and a multiple of 4. */
const bytes = (words: number): number => Math.max(16, 4 * Math.ceil(words));

/** A buffer holding `data` (uploaded now). */
export function uploaded(device: GPUDevice, data: Float32Array | Uint32Array, usage: number): GPUBuffer {
  const buffer = device.createBuffer({ size: bytes(data.length), usage: usage | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}

export function requestBuffer(device: GPUDevice, s: BufferSizes, excludeRoom: number): GPUBuffer {
  return device.createBuffer({ size: bytes(excludeAt(s.views, s.maxLength) + excludeRoom), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
}

export interface Uploads {
  readonly weights: Float32Array;
  readonly table: Float32Array;
  readonly tables: Float32Array;
  readonly viewAt: Uint32Array;
}

export function createBuffers(device: GPUDevice, s: BufferSizes, data: Uploads): GpuBuffers {
  const { STORAGE, COPY_SRC, COPY_DST, MAP_READ, UNIFORM } = GPUBufferUsage;
  const scratch = (words: number, usage = 0): GPUBuffer => device.createBuffer({ size: bytes(words), usage: STORAGE | usage });
  const excludeRoom = 256;
  const chunks = Math.ceil(s.largest / TOP_K_CHUNK);
  return {
    weights: uploaded(device, data.weights, STORAGE),
    table: uploaded(device, data.table, STORAGE),
    tables: uploaded(device, data.tables, STORAGE),
    viewAt: uploaded(device, data.viewAt, STORAGE),
    params: device.createBuffer({ size: 4 * PARAM_WORDS, usage: UNIFORM | COPY_DST }),
    request: requestBuffer(device, s, excludeRoom),
    excludeRoom,
    scratch: scratch(s.views * scratchFloats(s.d, s.maxLength)),
    hidden: scratch(s.views * s.d),
    user: scratch(s.d),
    scores: scratch(s.largest, COPY_SRC),
    partial: scratch(chunks * TOP_K_MAX * 2),
    best: scratch(TOP_K_MAX * 2, COPY_SRC),
    why: scratch(explainFloats(s.views, s.maxLength), COPY_SRC),
    readBack: device.createBuffer({ size: bytes(Math.max(s.largest, TOP_K_MAX * 2) + explainFloats(s.views, s.maxLength)), usage: MAP_READ | COPY_DST }),
  };
}

export function destroyBuffers(b: GpuBuffers): void {
  for (const buffer of [b.weights, b.table, b.tables, b.viewAt, b.params, b.request, b.scratch, b.hidden, b.user, b.scores, b.partial, b.best, b.why, b.readBack]) buffer.destroy();
}

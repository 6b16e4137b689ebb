/**
 * Where the shopper-by-shopper forward pass (shopper-forward.ts) keeps everything in its
 * SIMD kernel's memory: the encoders' weights (each block's wq, wk, wv side by side as one
 * [d, 3d] matrix: one product per block instead of three), every domain's item vectors
 * transposed, as panels of 16 items ([tiles, d, 16]: a tile of a product is one contiguous
 * 4 KB run, where [d, N] rows made it 64 runs a row apart), the
 * scratch rows of one view, and the users and score block of up to USERS shoppers. Offsets
 * are in floats.
 */
import type { Catalog } from '../catalog/types.ts';
import type { F32GemmKernel } from './f32-gemm-wasm.ts';
import type { BlockParams, LayerNormParams, ViewEncoderParams } from './param-tree.ts';
import type * as tf from '@tensorflow/tfjs';

export const TILE = 16;
/** Shoppers scored by one product over a domain table. */
export const USERS = 64;
/** Floats of the score block: USERS x 2,048 columns (512 KB), or fewer users and more columns. */
export const SCORE_BLOCK = USERS * 2048;
export const tiled = (n: number): number => Math.ceil(n / TILE) * TILE;

export interface NormAt {
  readonly g: number;
  readonly b: number;
}

export interface BlockAt {
  readonly ln1: NormAt;
  readonly wqkv: number; // [d, 3d]
  readonly wo: number; // [d, d]
  readonly ln2: NormAt;
  readonly ff1: { readonly w: number; readonly b: number };
  readonly ff2: { readonly w: number; readonly b: number };
}

export interface ViewAt {
  readonly pos: number; // [maxLength, d]
  readonly blocks: readonly BlockAt[];
  readonly lnf: NormAt;
}

/** One domain's item vectors as panels [tiles(items) / 16, d, 16]: the k-th item is lane k % 16 of panel k / 16. */
export interface DomainTableAt {
  readonly at: number;
  readonly items: number;
  /** items in whole tiles. */
  readonly columns: number;
}

/** Offset of item k's value c in a domain table at `at` of width d. */
export const panelOffset = (at: number, d: number, k: number, c: number): number => at + (k >> 4) * d * TILE + c * TILE + (k & 15);

/** Scratch for one view of at most maxLength items (L rows; Lp = L in whole tiles). */
export interface ScratchAt {
  readonly h: number; // [L, d] residual stream
  readonly n: number; // [L, d] normalized rows
  readonly qkv: number; // [L, 3d]
  readonly kT: number; // [d, Lp]
  readonly s: number; // [L, Lp] attention scores, then probabilities
  readonly ctx: number; // [L, d]
  readonly f: number; // [L, d] feed-forward hidden
  readonly t: number; // [L, d] a block's output before the residual add
  readonly hidden: number; // [V, d] each view's encoded query row
  readonly users: number; // [USERS, d] fused user rows, in request order
  readonly group: number; // [USERS, d] the users of one domain
  readonly scores: number; // [SCORE_BLOCK] a block of users x columns
}

export interface Layout {
  readonly views: readonly (ViewAt | undefined)[];
  readonly domains: readonly DomainTableAt[];
  readonly scratch: ScratchAt;
  readonly heap: Float32Array;
}

/** Bump allocation first, then one grow of the memory and the copies. */
class Arena {
  private used = 16; // offset 0 stays free: gemm reads a bias offset of 0 as "no bias"
  private readonly writes: { at: number; data: Float32Array }[] = [];

  reserve(n: number): number {
    const at = this.used;
    this.used += tiled(n);
    return at;
  }

  put(data: Float32Array): number {
    const at = this.reserve(data.length);
    this.writes.push({ at, data });
    return at;
  }

  finish(kernel: F32GemmKernel): Float32Array {
    const need = this.used * 4 - kernel.memory.buffer.byteLength;
    if (need > 0) kernel.memory.grow(Math.ceil(need / 65536));
    const heap = new Float32Array(kernel.memory.buffer);
    for (const { at, data } of this.writes) heap.set(data, at);
    return heap;
  }
}

const read = (v: tf.Tensor): Float32Array => v.dataSync() as Float32Array;

/** wq, wk, wv [d, d] as one [d, 3d]: row r is wq[r], wk[r], wv[r]. */
function sideBySide(d: number, parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(d * d * parts.length);
  for (let r = 0; r < d; r++) parts.forEach((w, i) => out.set(w.subarray(r * d, (r + 1) * d), (r * parts.length + i) * d));
  return out;
}

function putView(arena: Arena, d: number, view: ViewEncoderParams): ViewAt {
  const norm = (p: LayerNormParams): NormAt => ({ g: arena.put(read(p.g)), b: arena.put(read(p.b)) });
  const block = (p: BlockParams): BlockAt => ({
    ln1: norm(p.ln1),
    wqkv: arena.put(sideBySide(d, [read(p.wq), read(p.wk), read(p.wv)])),
    wo: arena.put(read(p.wo)),
    ln2: norm(p.ln2),
    ff1: { w: arena.put(read(p.ff1.w)), b: arena.put(read(p.ff1.b)) },
    ff2: { w: arena.put(read(p.ff2.w)), b: arena.put(read(p.ff2.b)) },
  });
  return { pos: arena.put(read(view.pos)), blocks: view.blocks.map(block), lnf: norm(view.lnf) };
}

/** Items' rows of `table` ([size + 1, d] row-major) as panels (DomainTableAt). */
function panelRows(table: Float32Array, d: number, items: Int32Array): Float32Array {
  const out = new Float32Array(d * tiled(items.length));
  items.forEach((item, k) => {
    for (let c = 0; c < d; c++) out[panelOffset(0, d, k, c)] = table[item * d + c]!;
  });
  return out;
}

function reserveScratch(arena: Arena, d: number, maxLength: number, views: number): ScratchAt {
  const rows = maxLength * d;
  return {
    h: arena.reserve(rows),
    n: arena.reserve(rows),
    qkv: arena.reserve(3 * rows),
    kT: arena.reserve(d * tiled(maxLength)),
    s: arena.reserve(maxLength * tiled(maxLength)),
    ctx: arena.reserve(rows),
    f: arena.reserve(rows),
    t: arena.reserve(rows),
    hidden: arena.reserve(views * d),
    users: arena.reserve(USERS * d),
    group: arena.reserve(USERS * d),
    scores: arena.reserve(SCORE_BLOCK),
  };
}

/** Lays out and copies the encoders, the item table (float [size + 1, d]) and the scratch. */
export function buildLayout(kernel: F32GemmKernel, encoders: readonly (ViewEncoderParams | undefined)[], catalog: Catalog, table: Float32Array, d: number, maxLength: number): Layout {
  const arena = new Arena();
  const views = encoders.map((e) => e && putView(arena, d, e));
  const domains = catalog.domainItems.map((items) => ({ at: arena.put(panelRows(table, d, items)), items: items.length, columns: tiled(items.length) }));
  const scratch = reserveScratch(arena, d, maxLength, encoders.length);
  return { views, domains, scratch, heap: arena.finish(kernel) };
}

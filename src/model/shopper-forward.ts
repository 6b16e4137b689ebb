/**
 * Whole-domain scores outside tfjs, shopper by shopper: the same arithmetic as
 * HafModel.forward at inference (the last block for the query position only), then one
 * product of up to USERS users with their domain's table, on float32 rows in the memory of a
 * WebAssembly SIMD matrix kernel (f32-gemm-wasm.ts). tfjs ran ~300 kernels per shopper at
 * ~10 us of host time each, several times the arithmetic; here the products are 11 kernel
 * calls per view and the rest (layer norms, causal softmax, domain attention) plain loops
 * over at most 50 x 64 floats. Scores match tfjs's to float rounding (~1e-6): sums are added
 * in another order. The pass also hands back the attention it computed on the way (each
 * view's last-block row for its query, the domain attention over views): what an
 * explanation reports, without a second forward pass.
 */
import type { Catalog } from '../catalog/types.ts';
import { domainPositions } from '../catalog/catalog.ts';
import { buildBatch } from './batch.ts';
import { loadF32GemmKernel, type F32GemmKernel } from './f32-gemm-wasm.ts';
import type { HafModel } from './model.ts';
import { buildLayout, panelOffset, SCORE_BLOCK, tiled, TILE, USERS, type BlockAt, type Layout, type ViewAt } from './shopper-forward-layout.ts';
import { normalizeRows } from './wasm-layer-norm.ts';

const NEG = -1e9;

interface ShopperRequest {
  readonly history: Int32Array;
  readonly domain: number;
}

/** Domain attention's weights as plain arrays: w [d, a], b [a], q [K, a], bias [K, V]. */
interface Fusion {
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly q: Float32Array;
  readonly bias: Float32Array;
}

/** One request's attention, as HafModel.forward reports it for the query. */
export interface ShopperAttention {
  /** Per view: the last block's softmax row of its query over its positions [t] (oldest first); undefined for an empty view. */
  readonly views: readonly (Float32Array | undefined)[];
  /** Domain attention over the views [V]: 0 for an empty view. */
  readonly beta: Float32Array;
}

/** Each request's scores (empty when not scored) and attention, from one pass. */
export interface ShopperPass {
  readonly scores: Float32Array[];
  readonly attention: ShopperAttention[];
}

export class ShopperForward {
  private readonly d: number;
  private readonly maxLength: number;
  private readonly positions: Int32Array;

  private constructor(
    private readonly kernel: F32GemmKernel,
    private readonly layout: Layout,
    private readonly fusion: Fusion,
    private readonly catalog: Catalog,
    model: HafModel,
  ) {
    this.d = model.config.dim;
    this.maxLength = model.config.maxLength;
    this.positions = domainPositions(catalog);
  }

  /**
   * The pass for `model` over the item table `vectors` ([size + 1, d] row-major, the
   * recommender's cached item tower output), or undefined for a model it does not cover
   * (several heads, no domain attention, a width not in whole tiles) or without wasm SIMD.
   */
  static create(model: HafModel, catalog: Catalog, vectors: Float32Array): ShopperForward | undefined {
    const { config } = model;
    const fusion = model.tree.domain;
    if (config.heads !== 1 || config.singleDomain || !fusion || config.dim % TILE !== 0) return undefined;
    const kernel = loadF32GemmKernel();
    if (!kernel) return undefined;
    const layout = buildLayout(kernel, model.tree.views, catalog, vectors, config.dim, config.maxLength);
    const read = (v: { dataSync(): unknown }): Float32Array => v.dataSync() as Float32Array;
    return new ShopperForward(kernel, layout, { w: read(fusion.w), b: read(fusion.b), q: read(fusion.q), bias: read(fusion.bias) }, catalog, model);
  }

  /** Scores of every item of each request's domain (domainItems order); histories hold validated catalog indices. */
  score(requests: readonly ShopperRequest[]): Float32Array[] {
    return this.run(requests, true).scores;
  }

  /** score() and the attention behind each request's scores, from the same pass. */
  scoreWithAttention(requests: readonly ShopperRequest[]): ShopperPass {
    return this.run(requests, true);
  }

  /** The attention alone: users are encoded and fused, no domain is scored. */
  attention(requests: readonly ShopperRequest[]): ShopperAttention[] {
    return this.run(requests, false).attention;
  }

  private run(requests: readonly ShopperRequest[], scoring: boolean): ShopperPass {
    const scores = scoring ? requests.map((r) => new Float32Array(this.catalog.domainItems[r.domain]!.length)) : [];
    const attention: ShopperAttention[] = [];
    for (let start = 0; start < requests.length; start += USERS) {
      const chunk = requests.slice(start, start + USERS);
      chunk.forEach((r, i) => attention.push(this.user(r.history, r.domain, this.layout.scratch.users + i * this.d)));
      if (!scoring) continue;
      for (const domain of new Set(chunk.map((r) => r.domain))) {
        const rows = chunk.flatMap((r, i) => (r.domain === domain ? [i] : []));
        this.scoreDomain(domain, rows, rows.map((i) => scores[start + i]!));
      }
    }
    return { scores, attention };
  }

  /** The fused user row [d] of one shopper, written at `at`; returns the attention that made it. */
  private user(history: Int32Array, domain: number, at: number): ShopperAttention {
    const { catalog, layout } = this;
    const batch = buildBatch([{ history, domain }], { domainOf: catalog.domainOf, domains: catalog.domains.length, maxLength: this.maxLength, identityItems: catalog.size });
    const views = batch.views.map((view, v) => {
      const encoder = layout.views[v];
      return encoder && view.length > 0 ? this.encode(encoder, view.items, layout.scratch.hidden + v * this.d) : undefined;
    });
    return { views, beta: this.fuse(views.map((w) => (w ? 1 : 0)), domain, at) };
  }

  /** users[rows] x the domain's table, a block of columns at a time, into `out` (one array per row). */
  private scoreDomain(domain: number, rows: readonly number[], out: readonly Float32Array[]): void {
    const { d, layout } = this;
    const { heap, scratch } = layout;
    const table = layout.domains[domain]!;
    rows.forEach((i, r) => heap.copyWithin(scratch.group + r * d, scratch.users + i * d, scratch.users + (i + 1) * d));
    const width = Math.max(TILE, Math.floor(SCORE_BLOCK / rows.length / TILE) * TILE);
    for (let c0 = 0; c0 < table.items; c0 += width) {
      const n = Math.min(width, table.columns - c0);
      this.kernel.gemm(4 * scratch.group, 4 * d, 4 * (table.at + c0 * d), 4 * TILE, 4 * scratch.scores, 4 * n, rows.length, d, n / TILE, 0, 0, 4 * TILE * d); // [rows, n]
      const keep = Math.min(n, table.items - c0);
      out.forEach((o, r) => o.set(heap.subarray(scratch.scores + r * n, scratch.scores + r * n + keep), c0));
    }
  }

  /** C = A @ B (+ bias) (relu) for a row-major B, with offsets and row strides in floats; n in whole tiles. */
  private gemm(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, bias: number, relu: boolean): void {
    this.kernel.gemm(a * 4, lda * 4, b * 4, ldb * 4, c * 4, ldc * 4, m, k, n / TILE, bias * 4, relu ? 1 : 0, 4 * TILE);
  }

  /**
   * Encodes one view (its items, oldest first) and writes the last position's row [d] at
   * `out`; returns the last block's attention row of that position [t].
   */
  private encode(view: ViewAt, items: Int32Array, out: number): Float32Array {
    const { d, layout } = this;
    const { heap, scratch } = layout;
    const t = items.length;
    for (let p = 0; p < t; p++) {
      const item = items[p]!;
      const table = layout.domains[this.catalog.domainOf[item]!]!;
      const column = panelOffset(table.at, d, this.positions[item]!, 0);
      const row = scratch.h + p * d;
      const pos = view.pos + p * d;
      for (let c = 0; c < d; c++) heap[row + c] = heap[column + c * TILE]! + heap[pos + c]!;
    }
    view.blocks.forEach((block, i) => this.block(block, t, i === view.blocks.length - 1 ? t - 1 : 0));
    normalizeRows(heap, 1, d, [scratch.h + (t - 1) * d, view.lnf.g, view.lnf.b, out]);
    // The last block ran for the query alone: its probabilities are row 0 of the scores.
    return heap.slice(scratch.s, scratch.s + t); // [t]
  }

  /** One pre-LN block over t rows; rows from q0 on are computed (keys and values from all). */
  private block(p: BlockAt, t: number, q0: number): void {
    const { d, layout } = this;
    const { heap, scratch: s } = layout;
    const rows = t - q0;
    const lp = tiled(t);
    normalizeRows(heap, t, d, [s.h, p.ln1.g, p.ln1.b, s.n]);
    // Keys and values for every row, queries for rows q0.. only: [t, 3d]
    this.gemm(s.n, d, p.wqkv + d, 3 * d, s.qkv + d, 3 * d, t, d, 2 * d, 0, false);
    this.gemm(s.n + q0 * d, d, p.wqkv, 3 * d, s.qkv + q0 * 3 * d, 3 * d, rows, d, d, 0, false);
    for (let j = 0; j < t; j++) for (let c = 0; c < d; c++) heap[s.kT + c * lp + j] = heap[s.qkv + j * 3 * d + d + c]!; // K^T [d, lp]
    this.gemm(s.qkv + q0 * 3 * d, 3 * d, s.kT, lp, s.s, lp, rows, d, lp, 0, false); // [rows, lp]
    this.causalSoftmax(rows, q0, t, lp);
    this.gemm(s.s, lp, s.qkv + 2 * d, 3 * d, s.ctx, d, rows, t, d, 0, false); // [rows, d]
    this.gemm(s.ctx, d, p.wo, d, s.t, d, rows, d, d, 0, false);
    this.addRows(s.h + q0 * d, s.t, rows * d);
    normalizeRows(heap, rows, d, [s.h + q0 * d, p.ln2.g, p.ln2.b, s.n]);
    this.gemm(s.n, d, p.ff1.w, d, s.f, d, rows, d, d, p.ff1.b, true);
    this.gemm(s.f, d, p.ff2.w, d, s.t, d, rows, d, d, p.ff2.b, false);
    this.addRows(s.h + q0 * d, s.t, rows * d);
  }

  private addRows(into: number, from: number, n: number): void {
    const heap = this.layout.heap;
    for (let i = 0; i < n; i++) heap[into + i] = heap[into + i]! + heap[from + i]!;
  }

  /** Row r (query position q0 + r) of the scores [rows, lp]: scaled, softmax over keys 0..q0 + r, zero after. */
  private causalSoftmax(rows: number, q0: number, t: number, lp: number): void {
    const heap = this.layout.heap;
    const scale = Math.fround(1 / Math.sqrt(this.d));
    for (let r = 0; r < rows; r++) {
      const row = this.layout.scratch.s + r * lp;
      const last = q0 + r;
      let max = -Infinity;
      for (let j = 0; j <= last; j++) max = Math.max(max, (heap[row + j] = heap[row + j]! * scale));
      let sum = 0;
      for (let j = 0; j <= last; j++) sum += heap[row + j] = Math.exp(heap[row + j]! - max);
      for (let j = 0; j <= last; j++) heap[row + j] = heap[row + j]! / sum;
      heap.fill(0, row + last + 1, row + t);
    }
  }

  /** Domain attention over the encoded views (mask[v] 0: empty) into the user row at `at`; returns its weights [V]. */
  private fuse(mask: readonly number[], domain: number, at: number): Float32Array {
    const { d, fusion, layout } = this;
    const { heap, scratch } = layout;
    const a = fusion.b.length;
    const views = mask.length;
    const logits = mask.map((m, v) => {
      const h = scratch.hidden + v * d;
      let score = 0;
      for (let j = 0; j < a; j++) {
        let z = fusion.b[j]!;
        if (m) for (let c = 0; c < d; c++) z += heap[h + c]! * fusion.w[c * a + j]!;
        score += Math.tanh(Math.fround(z)) * fusion.q[domain * a + j]!;
      }
      return score + fusion.bias[domain * views + v]! + (1 - m) * NEG;
    });
    const max = Math.max(...logits);
    const e = logits.map((x) => Math.exp(x - max));
    const sum = e.reduce((x, y) => x + y, 0);
    const beta = Float32Array.from(mask, (m, v) => (e[v]! / sum) * m); // [V]
    heap.fill(0, at, at + d);
    beta.forEach((b, v) => {
      if (b !== 0) for (let c = 0; c < d; c++) heap[at + c] = heap[at + c]! + b * heap[scratch.hidden + v * d + c]!;
    });
    return beta;
  }
}

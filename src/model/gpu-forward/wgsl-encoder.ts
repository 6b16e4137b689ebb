/**
 * Every view's encoder in ONE dispatch: workgroup v encodes view v (its items + learned
 * positions, the pre-LN blocks, the final layer norm of the last row) and writes that row to
 * hidden[v]. Same arithmetic as ShopperForward.encode: keys and values from every row,
 * the last block's queries (and everything after them) for the last row only. The rows
 * (T <= 50, d = 64) outgrow workgroup memory (16 KB), so a view's working rows live in its
 * slice of a storage scratch buffer and the steps are separated by storage barriers. The
 * explained view's workgroup also copies its last block's attention row of the query (what
 * an explanation reports, ShopperAttention) into the explanation buffer, after the domain
 * attention the fuse kernel writes there (wgsl-common.ts: explainFloats).
 */
import { NO_VIEW, blockFloats } from './gpu-weights.ts';
import { scratchFloats } from './wgsl-common.ts';

export const ENCODER_WORKGROUP = 256;

export interface EncoderShape {
  readonly d: number;
  readonly maxLength: number;
  readonly views: number;
  readonly blocks: number;
  /** The view whose attention an explanation reports (the mixed view). */
  readonly explainView: number;
}

/** Constants and bindings. */
function header(s: EncoderShape): string {
  const { d, maxLength: l } = s;
  return /* wgsl */ `
const D: u32 = ${d}u;
const L: u32 = ${l}u;
const V: u32 = ${s.views}u;
const BLOCKS: u32 = ${s.blocks}u;
const WG: u32 = ${ENCODER_WORKGROUP}u;
const BLOCK_FLOATS: u32 = ${blockFloats(d)}u;
const SCRATCH: u32 = ${scratchFloats(d, l)}u;
const ITEMS_AT: u32 = V;
const SCORES_AT: u32 = 5u * L * D; // the attention scores [L, L] in a view's scratch, after h, n [L, D] and qkv [L, 3D]
const EXPLAIN_VIEW: u32 = ${s.explainView}u;
const NO_VIEW: u32 = ${NO_VIEW}u;
const EPS: f32 = 1e-6;

@group(0) @binding(0) var<storage, read> weights: array<f32>;
@group(0) @binding(1) var<storage, read> table: array<f32>;        // [size + 1, D]
@group(0) @binding(2) var<storage, read> request: array<u32>;
@group(0) @binding(3) var<storage, read> viewAt: array<u32>;        // [V]
@group(0) @binding(4) var<storage, read_write> scratch: array<f32>; // [V, SCRATCH]
@group(0) @binding(5) var<storage, read_write> hidden: array<f32>;  // [V, D]
@group(0) @binding(6) var<storage, read_write> why: array<f32>;     // [V + L]: beta [V], then the explained view's row [L]

var<workgroup> rowsOfView: u32;
`;
}

const ROW_OPS_WGSL = /* wgsl */ `
// Layer norm of rows r0..r1 of x [*, D] into y, one thread per row.
fn layerNorm(x: u32, y: u32, g: u32, b: u32, r0: u32, r1: u32, lid: u32) {
  for (var r = r0 + lid; r < r1; r += WG) {
    var sum = 0.0;
    for (var c = 0u; c < D; c++) { sum += scratch[x + r * D + c]; }
    let mean = sum / f32(D);
    var squares = 0.0;
    for (var c = 0u; c < D; c++) { let e = scratch[x + r * D + c] - mean; squares += e * e; }
    let inv = 1.0 / sqrt(squares / f32(D) + EPS);
    for (var c = 0u; c < D; c++) {
      scratch[y + r * D + c] = (scratch[x + r * D + c] - mean) * inv * weights[g + c] + weights[b + c];
    }
  }
}

// Rows r0..r1 of a [*, D] @ w [D, D] + bias (relu): written to out, or added to it (residual).
fn dense(a: u32, w: u32, bias: u32, out: u32, r0: u32, r1: u32, relu: bool, add: bool, lid: u32) {
  for (var i = lid; i < (r1 - r0) * D; i += WG) {
    let r = r0 + i / D;
    let c = i % D;
    var acc = 0.0;
    for (var k = 0u; k < D; k++) { acc += scratch[a + r * D + k] * weights[w + k * D + c]; }
    acc += weights[bias + c];
    if (relu) { acc = max(acc, 0.0); }
    if (add) { scratch[out + r * D + c] += acc; } else { scratch[out + r * D + c] = acc; }
  }
}

// h += a @ wo for rows r0..r1 (the attention output has no bias).
fn denseNoBias(a: u32, w: u32, h: u32, r0: u32, r1: u32, lid: u32) {
  for (var i = lid; i < (r1 - r0) * D; i += WG) {
    let r = r0 + i / D;
    let c = i % D;
    var acc = 0.0;
    for (var k = 0u; k < D; k++) { acc += scratch[a + r * D + k] * weights[w + k * D + c]; }
    scratch[h + r * D + c] += acc;
  }
}
`;

const ATTENTION_WGSL = /* wgsl */ `
// [t, 3D]: keys and values of every row, queries of rows q0.. (wq, wk, wv lie one after another from wq).
fn projectQkv(n: u32, wq: u32, qkv: u32, t: u32, q0: u32, lid: u32) {
  for (var i = lid; i < t * 3u * D; i += WG) {
    let r = i / (3u * D);
    let c3 = i % (3u * D);
    if (c3 < D && r < q0) { continue; }
    let w = wq + (c3 / D) * D * D + c3 % D;
    var acc = 0.0;
    for (var k = 0u; k < D; k++) { acc += scratch[n + r * D + k] * weights[w + k * D]; }
    scratch[qkv + r * 3u * D + c3] = acc;
  }
  storageBarrier();
}

// Causal attention of rows q0..t over keys 0..r: qkv [t, 3D] -> ctx [t, D] (s: the scores [L, L]).
fn attention(qkv: u32, s: u32, ctx: u32, t: u32, q0: u32, lid: u32) {
  let scale = 1.0 / sqrt(f32(D));
  for (var i = lid; i < (t - q0) * t; i += WG) { // causal scores [t - q0, t]
    let r = q0 + i / t;
    let j = i % t;
    if (j > r) { continue; }
    var acc = 0.0;
    for (var k = 0u; k < D; k++) { acc += scratch[qkv + r * 3u * D + k] * scratch[qkv + j * 3u * D + D + k]; }
    scratch[s + r * L + j] = acc * scale;
  }
  storageBarrier();
  softmaxRows(s, t, q0, lid);
  storageBarrier();
  for (var i = lid; i < (t - q0) * D; i += WG) { // context [t - q0, D]
    let r = q0 + i / D;
    let c = i % D;
    var acc = 0.0;
    for (var j = 0u; j <= r; j++) { acc += scratch[s + r * L + j] * scratch[qkv + j * 3u * D + 2u * D + c]; }
    scratch[ctx + r * D + c] = acc;
  }
  storageBarrier();
}

// Row r (q0..t) of the scores [L, L]: softmax over keys 0..r, one thread per row.
fn softmaxRows(s: u32, t: u32, q0: u32, lid: u32) {
  for (var r = q0 + lid; r < t; r += WG) {
    var m = scratch[s + r * L];
    for (var j = 1u; j <= r; j++) { m = max(m, scratch[s + r * L + j]); }
    var sum = 0.0;
    for (var j = 0u; j <= r; j++) { let e = exp(scratch[s + r * L + j] - m); scratch[s + r * L + j] = e; sum += e; }
    for (var j = 0u; j <= r; j++) { scratch[s + r * L + j] = scratch[s + r * L + j] / sum; }
  }
}
`;

const BLOCK_WGSL = /* wgsl */ `
// One pre-LN block over t rows (queries from q0 on); p: the block's weights.
fn block(p: u32, h: u32, t: u32, q0: u32, lid: u32) {
  let n = h + L * D;
  let qkv = n + L * D;
  let s = h + SCORES_AT;
  let ctx = s + L * L;
  let f = ctx + L * D;
  let wq = p + 2u * D;
  let wo = wq + 3u * D * D;
  let ln2 = wo + D * D;
  let ff1 = ln2 + 2u * D;
  let ff2 = ff1 + D * D + D;
  layerNorm(h, n, p, p + D, 0u, t, lid);
  storageBarrier();
  projectQkv(n, wq, qkv, t, q0, lid);
  attention(qkv, s, ctx, t, q0, lid);
  denseNoBias(ctx, wo, h, q0, t, lid);
  storageBarrier();
  layerNorm(h, n, ln2, ln2 + D, q0, t, lid);
  storageBarrier();
  dense(n, ff1, ff1 + D * D, f, q0, t, true, false, lid);
  storageBarrier();
  dense(f, ff2, ff2 + D * D, h, q0, t, false, true, lid);
  storageBarrier();
}
`;

const MAIN_WGSL = /* wgsl */ `
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let v = wid.x;
  let w0 = viewAt[v];
  if (lid == 0u) { rowsOfView = select(request[v], 0u, w0 == NO_VIEW); }
  let t = workgroupUniformLoad(&rowsOfView);
  if (t == 0u) { return; }
  let h = v * SCRATCH;
  for (var i = lid; i < t * D; i += WG) { // item rows + positions [t, D]
    let r = i / D;
    let c = i % D;
    let item = request[ITEMS_AT + v * L + r];
    scratch[h + i] = table[item * D + c] + weights[w0 + r * D + c];
  }
  storageBarrier();
  let first = w0 + L * D + 2u * D;
  for (var b = 0u; b < BLOCKS; b++) {
    block(first + b * BLOCK_FLOATS, h, t, select(0u, t - 1u, b == BLOCKS - 1u), lid);
  }
  if (v == EXPLAIN_VIEW) { // the last block's softmax row of the query over positions 0..t-1 [t]
    for (var j = lid; j < t; j += WG) { why[V + j] = scratch[h + SCORES_AT + (t - 1u) * L + j]; }
  }
  let n = h + L * D;
  layerNorm(h, n, w0 + L * D, w0 + L * D + D, t - 1u, t, lid);
  storageBarrier();
  for (var c = lid; c < D; c += WG) { hidden[v * D + c] = scratch[n + (t - 1u) * D + c]; }
}
`;

export function encoderWgsl(s: EncoderShape): string {
  return [header(s), ROW_OPS_WGSL, ATTENTION_WGSL, BLOCK_WGSL, MAIN_WGSL].join('\n');
}

/**
 * Domain attention in one workgroup (ShopperForward.fuse): view v's logit is
 * q[domain] . tanh(w h_v + b) + bias[domain, v] (-1e9 where the view is empty), and the user
 * row is the softmax-weighted sum of the views' rows. The weights (beta [V]) also go to the
 * head of the explanation buffer, read back with the call's scores or top-k.
 */
import { NO_VIEW } from './gpu-weights.ts';
import { PARAMS_WGSL } from './wgsl-common.ts';

export interface FuseShape {
  readonly d: number;
  readonly views: number;
  /** attention width a */
  readonly width: number;
  /** offsets of w [d, a], b [a], q [K, a], bias [K, V] in the packed weights */
  readonly at: { readonly w: number; readonly b: number; readonly q: number; readonly bias: number };
}

export const FUSE_WORKGROUP = 64;

export function fuseWgsl(s: FuseShape): string {
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${s.d}u;
const V: u32 = ${s.views}u;
const A: u32 = ${s.width}u;
const WG: u32 = ${FUSE_WORKGROUP}u;
const W: u32 = ${s.at.w}u;
const B: u32 = ${s.at.b}u;
const Q: u32 = ${s.at.q}u;
const BIAS: u32 = ${s.at.bias}u;
const NO_VIEW: u32 = ${NO_VIEW}u;

@group(0) @binding(0) var<storage, read> weights: array<f32>;
@group(0) @binding(1) var<storage, read> request: array<u32>;
@group(0) @binding(2) var<storage, read> viewAt: array<u32>;
@group(0) @binding(3) var<storage, read> hidden: array<f32>;      // [V, D]
@group(0) @binding(4) var<storage, read_write> user: array<f32>;  // [D]
@group(0) @binding(5) var<uniform> params: Params;
@group(0) @binding(6) var<storage, read_write> why: array<f32>;   // [V + L]: beta [V] here

var<workgroup> terms: array<f32, ${s.views * s.width}>; // [V, A] tanh(w h + b) * q
var<workgroup> beta: array<f32, V>;

fn present(v: u32) -> bool { return request[v] > 0u && viewAt[v] != NO_VIEW; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let domain = params.domain;
  for (var i = lid; i < V * A; i += WG) {
    let v = i / A;
    let j = i % A;
    var z = weights[B + j];
    if (present(v)) {
      for (var c = 0u; c < D; c++) { z += hidden[v * D + c] * weights[W + c * A + j]; }
    }
    // clamped: some tanh implementations overflow to NaN far from 0, where tanh is +-1 in float32
    terms[i] = tanh(clamp(z, -15.0, 15.0)) * weights[Q + domain * A + j];
  }
  workgroupBarrier();
  if (lid == 0u) {
    var logits: array<f32, V>;
    var top = -3.4e38;
    for (var v = 0u; v < V; v++) {
      var score = weights[BIAS + domain * V + v];
      for (var j = 0u; j < A; j++) { score += terms[v * A + j]; }
      logits[v] = select(score - 1e9, score, present(v));
      top = max(top, logits[v]);
    }
    var sum = 0.0;
    for (var v = 0u; v < V; v++) { logits[v] = exp(logits[v] - top); sum += logits[v]; }
    for (var v = 0u; v < V; v++) {
      beta[v] = select(0.0, logits[v] / sum, present(v));
      why[v] = beta[v];
    }
  }
  workgroupBarrier();
  for (var c = lid; c < D; c += WG) {
    var acc = 0.0;
    for (var v = 0u; v < V; v++) {
      if (beta[v] != 0.0) { acc += beta[v] * hidden[v * D + c]; }
    }
    user[c] = acc;
  }
}
`;
}

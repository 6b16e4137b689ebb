/**
 * Top-k of a domain's scores in two dispatches, best first, ties to the lower position (as
 * eval/top-k.ts: catalog order). Partial: workgroup w sorts scores [w * CHUNK, (w + 1) * CHUNK)
 * in workgroup memory (bitonic) with excluded positions knocked out, and keeps its best k.
 * Merge: one workgroup keeps the best k in slots 0..k-1 of a CHUNK-slot array, fills the rest
 * with the next candidates and sorts again until all are seen. Only k (score, position)
 * pairs are read back. Padding and excluded slots hold LOWEST and index NONE.
 */
import { LOWEST, NONE, PARAMS_WGSL } from './wgsl-common.ts';

/** Scores sorted by one partial workgroup: (f32, u32) x 1024 = 8 KB of workgroup memory. */
export const TOP_K_CHUNK = 1024;
/** Largest k on the GPU: the merge needs room for new candidates beside the k it keeps. */
export const TOP_K_MAX = TOP_K_CHUNK / 2;
const WG = 256;

const SORT_WGSL = /* wgsl */ `
const CHUNK: u32 = ${TOP_K_CHUNK}u;
const WG: u32 = ${WG}u;
const LOWEST: f32 = ${LOWEST};
const NONE: u32 = ${NONE}u;

var<workgroup> key: array<f32, CHUNK>;
var<workgroup> idx: array<u32, CHUNK>;

fn better(a: u32, b: u32) -> bool {
  return key[a] > key[b] || (key[a] == key[b] && idx[a] < idx[b]);
}

// Bitonic sort of the CHUNK slots, best first.
fn sortSlots(lid: u32) {
  for (var size = 2u; size <= CHUNK; size <<= 1u) {
    for (var stride = size >> 1u; stride > 0u; stride >>= 1u) {
      for (var p = lid; p < CHUNK / 2u; p += WG) {
        let i = 2u * stride * (p / stride) + p % stride;
        let j = i + stride;
        let forward = (i & size) == 0u;
        if (select(better(i, j), better(j, i), forward)) {
          let k = key[i]; key[i] = key[j]; key[j] = k;
          let x = idx[i]; idx[i] = idx[j]; idx[j] = x;
        }
      }
      workgroupBarrier();
    }
  }
}
`;

export function topKPartialWgsl(excludeAt: number): string {
  return /* wgsl */ `
${PARAMS_WGSL}
${SORT_WGSL}
const EXCLUDE_AT: u32 = ${excludeAt}u;

@group(0) @binding(0) var<storage, read> scores: array<f32>;
@group(0) @binding(1) var<storage, read> request: array<u32>;
@group(0) @binding(2) var<storage, read_write> partial: array<u32>; // [chunks, k, 2] (score bits, position)
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = wid.x * CHUNK;
  for (var i = lid; i < CHUNK; i += WG) {
    let j = base + i;
    let s = select(LOWEST, scores[min(j, params.n - 1u)], j < params.n);
    let keep = j < params.n && s == s; // NaN never wins
    key[i] = select(LOWEST, s, keep);
    idx[i] = select(NONE, j, keep);
  }
  workgroupBarrier();
  for (var e = lid; e < params.excludeCount; e += WG) {
    let p = request[EXCLUDE_AT + e];
    if (p >= base && p < base + CHUNK) { key[p - base] = LOWEST; idx[p - base] = NONE; }
  }
  workgroupBarrier();
  sortSlots(lid);
  let k = params.k;
  for (var i = lid; i < k; i += WG) {
    partial[(wid.x * k + i) * 2u] = bitcast<u32>(key[i]);
    partial[(wid.x * k + i) * 2u + 1u] = idx[i];
  }
}
`;
}

export function topKMergeWgsl(): string {
  return /* wgsl */ `
${PARAMS_WGSL}
${SORT_WGSL}

@group(0) @binding(0) var<storage, read> partial: array<u32>;
@group(0) @binding(1) var<storage, read_write> best: array<u32>; // [k, 2] (score bits, position)
@group(0) @binding(2) var<uniform> params: Params;

// Slots first..CHUNK take candidates next.. (padding past the last).
fn load(first: u32, next: u32, lid: u32) {
  for (var i = first + lid; i < CHUNK; i += WG) {
    let c = next + i - first;
    let inside = c < params.partials;
    let at = min(c, params.partials - 1u) * 2u;
    key[i] = select(LOWEST, bitcast<f32>(partial[at]), inside);
    idx[i] = select(NONE, partial[at + 1u], inside);
  }
  workgroupBarrier();
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let k = params.k;
  load(0u, 0u, lid);
  sortSlots(lid);
  for (var next = CHUNK; next < params.partials; next += CHUNK - k) {
    load(k, next, lid);
    sortSlots(lid);
  }
  for (var i = lid; i < k; i += WG) {
    best[i * 2u] = bitcast<u32>(key[i]);
    best[i * 2u + 1u] = idx[i];
  }
}
`;
}

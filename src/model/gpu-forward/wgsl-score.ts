/** Scores of a whole domain: thread j takes item j's dot product with the user row. */
import { PARAMS_WGSL } from './wgsl-common.ts';

export const SCORE_WORKGROUP = 256;

export function scoreWgsl(d: number): string {
  return /* wgsl */ `
${PARAMS_WGSL}
const D: u32 = ${d}u;
const WG: u32 = ${SCORE_WORKGROUP}u;

@group(0) @binding(0) var<storage, read> tables: array<f32>;      // per domain [D, n]
@group(0) @binding(1) var<storage, read> user: array<f32>;        // [D]
@group(0) @binding(2) var<storage, read_write> scores: array<f32>; // [n]
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> u: array<f32, D>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  for (var c = lid; c < D; c += WG) { u[c] = user[c]; }
  workgroupBarrier();
  let j = gid.x;
  let n = params.n;
  if (j >= n) { return; }
  var acc = 0.0;
  for (var c = 0u; c < D; c++) { acc += u[c] * tables[params.tableAt + c * n + j]; }
  scores[j] = acc;
}
`;
}

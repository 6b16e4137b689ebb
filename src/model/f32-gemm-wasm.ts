/**
 * A WebAssembly SIMD float32 matrix product for the one-shopper forward pass
 * (shopper-forward.ts): C = A @ B (+ bias) (then relu), 16 output columns at a time in
 * four f32x4 accumulators, each step a splat of A[i, s] times four vectors of B's row s.
 * Sums run over s in order, one product at a time (no fused multiply-add), like tfjs's
 * kernels up to the order of the additions. Arguments are byte offsets and byte strides in
 * the module's memory: gemm(a, lda, b, ldb, c, ldc, m, k, tiles, bias, relu) with n = 16 *
 * tiles columns, m >= 1 and k >= 1; bias 0 = none, relu 0 = none.
 */
import { addConst, addLocal, countDown, functionBody, get, I32, instantiate, moduleBytes, op, set, V128, type WasmMemory } from './wasm-asm.ts';

// Parameters 0..10, then locals.
const [A, LDA, B, LDB, C, LDC, M, K, TILES, BIAS, RELU] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [P, Q, KK, J, CP, BP, JB, I, AROW, CBASE, ACC, S] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 25];
const LANES = [0, 1, 2, 3];

/** acc[t] = f(acc[t], ...) for the four accumulators. */
const eachAcc = (f: (t: number) => number[]): number[] => LANES.flatMap(f);

/**
 * Column tiles outside, rows inside: a tile of B (k x 16 floats) is read from memory once and
 * stays in L1 for every row of A (a domain's [d, N] table is several MB).
 */
function body(): number[] {
  const step = [
    ...get(P), ...op.v128Load32Splat(0), ...set(S),
    ...eachAcc((t) => [...get(ACC + t), ...get(S), ...get(Q), ...op.v128Load(16 * t), ...op.f32x4Mul, ...op.f32x4Add, ...set(ACC + t)]),
    ...addConst(P, 4), ...addLocal(Q, LDB), ...countDown(KK),
  ];
  const bias = [...get(BIAS), ...op.if, ...eachAcc((t) => [...get(ACC + t), ...get(BP), ...op.v128Load(16 * t), ...op.f32x4Add, ...set(ACC + t)]), ...op.end];
  const relu = [...get(RELU), ...op.if, ...eachAcc((t) => [...get(ACC + t), ...op.v128Zero, ...op.f32x4Max, ...set(ACC + t)]), ...op.end];
  const store = eachAcc((t) => [...get(CP), ...get(ACC + t), ...op.v128Store(16 * t)]);
  const row = [
    ...eachAcc((t) => [...op.v128Zero, ...set(ACC + t)]),
    ...get(AROW), ...set(P), ...get(JB), ...set(Q), ...get(K), ...set(KK),
    ...op.loop, ...step, ...op.end,
    ...bias, ...relu, ...store,
    ...addLocal(AROW, LDA), ...addLocal(CP, LDC), ...countDown(I),
  ];
  const tile = [
    ...get(M), ...set(I), ...get(A), ...set(AROW), ...get(CBASE), ...set(CP),
    ...op.loop, ...row, ...op.end,
    ...addConst(JB, 64), ...addConst(BP, 64), ...addConst(CBASE, 64), ...countDown(J),
  ];
  const start = [...get(TILES), ...set(J), ...get(B), ...set(JB), ...get(BIAS), ...set(BP), ...get(C), ...set(CBASE)];
  const code = [...op.block, ...get(M), ...op.i32Eqz, op.brIf, 0, ...start, ...op.loop, ...tile, ...op.end, ...op.end, ...op.end];
  return functionBody([10, I32, 5, V128], code);
}

export function f32GemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes('gemm', new Array<number>(11).fill(I32), body());
}

export interface F32GemmKernel {
  readonly memory: WasmMemory;
  gemm(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, tiles: number, bias: number, relu: number): void;
}

/** The kernel (its own memory), or undefined where WebAssembly SIMD is not available. */
export function loadF32GemmKernel(): F32GemmKernel | undefined {
  const exports = instantiate<{ gemm: F32GemmKernel['gemm'] }>(f32GemmModuleBytes());
  return exports && { memory: exports.memory, gemm: exports.gemm };
}

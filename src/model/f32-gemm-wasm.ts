/**
 * A WebAssembly SIMD float32 matrix product for the one-shopper forward pass
 * (shopper-forward.ts): C = A @ B (+ bias) (then relu), 16 output columns at a time in
 * four f32x4 accumulators, each step a splat of A[i, s] times four vectors of B's row s.
 * Sums run over s in order, one product at a time (no fused multiply-add), like tfjs's
 * kernels up to the order of the additions. Arguments are byte offsets and byte strides in
 * the module's memory: gemm(a, lda, b, ldb, c, ldc, m, k, tiles, bias, relu, tileStep) with
 * n = 16 * tiles columns, m >= 1 and k >= 1; bias 0 = none, relu 0 = none; tileStep: bytes
 * from one 16-column tile of B to the next (64 for a row-major B; k * 64 for B stored as
 * [tiles, k, 16] panels, which a tile then reads as one contiguous run).
 */
import { addConst, addLocal, countDown, functionBody, get, I32, instantiate, moduleBytes, op, set, V128, type WasmMemory } from './wasm-asm.ts';

// Parameters 0..11, then locals: i32 12..22, v128 from 23.
const [A, LDA, B, LDB, C, LDC, M, K, TILES, BIAS, RELU, STEP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [P, Q, KK, J, CP, BP, JB, I, AROW, CBASE, A2] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
const [ACC, S, BT] = [23, 31, 33]; // ACC: 2 rows x 4 accumulators, S: each row's splat, BT: one vector of B
const LANES = [0, 1, 2, 3];

/** Code for each of the four accumulators of row r. */
const eachAcc = (r: number, f: (acc: number, t: number) => number[]): number[] => LANES.flatMap((t) => f(ACC + 4 * r + t, t));

/**
 * `rows` (1 or 2) rows of A against one 16-column tile of B, then the next rows: with two,
 * each vector of B loaded serves both rows (8 accumulators, 11 vectors live: no spills).
 */
function rowGroup(rows: number): number[] {
  const each = (f: (r: number) => number[]): number[] => Array.from({ length: rows }, (_, r) => f(r)).flat();
  const splat = (r: number) => [...get(P), ...(r === 0 ? [] : [...get(LDA), ...op.i32Add]), ...op.v128Load32Splat(0), ...set(S + r)];
  const multiplyAdd = (t: number) => [
    ...get(Q), ...op.v128Load(16 * t), ...set(BT),
    ...each((r) => [...get(ACC + 4 * r + t), ...get(S + r), ...get(BT), ...op.f32x4Mul, ...op.f32x4Add, ...set(ACC + 4 * r + t)]),
  ];
  const step = [...each(splat), ...LANES.flatMap(multiplyAdd), ...addConst(P, 4), ...addLocal(Q, LDB), ...countDown(KK)];
  const finish = (r: number) => [
    ...get(BIAS), ...op.if, ...eachAcc(r, (acc, t) => [...get(acc), ...get(BP), ...op.v128Load(16 * t), ...op.f32x4Add, ...set(acc)]), ...op.end,
    ...get(RELU), ...op.if, ...eachAcc(r, (acc) => [...get(acc), ...op.v128Zero, ...op.f32x4Max, ...set(acc)]), ...op.end,
    ...eachAcc(r, (acc, t) => [...get(CP), ...get(acc), ...op.v128Store(16 * t)]),
    ...addLocal(CP, LDC),
  ];
  return [
    ...each((r) => eachAcc(r, (acc) => [...op.v128Zero, ...set(acc)])),
    ...get(AROW), ...set(P), ...get(JB), ...set(Q), ...get(K), ...set(KK),
    ...op.loop, ...step, ...op.end,
    ...each(finish),
    ...addLocal(AROW, rows === 2 ? A2 : LDA),
  ];
}

/** Runs `group` (count) times when count > 0. */
const repeat = (count: number[], group: number[]): number[] => [...count, op.tee, I, ...op.if, ...op.loop, ...group, ...countDown(I), ...op.end, ...op.end];

/**
 * Column tiles outside, rows inside: a tile of B (k x 16 floats) is read from memory once and
 * stays in L1 for every row of A (a domain's [d, N] table is several MB). Rows go two at a
 * time, then the odd one.
 */
function body(): number[] {
  const tile = [
    ...get(A), ...set(AROW), ...get(CBASE), ...set(CP),
    ...repeat([...get(M), op.i32Const, 1, ...op.i32ShrU], rowGroup(2)),
    ...repeat([...get(M), op.i32Const, 1, ...op.i32And], rowGroup(1)),
    ...addLocal(JB, STEP), ...addConst(BP, 64), ...addConst(CBASE, 64), ...countDown(J),
  ];
  const start = [...get(TILES), ...set(J), ...get(B), ...set(JB), ...get(BIAS), ...set(BP), ...get(C), ...set(CBASE), ...get(LDA), ...get(LDA), ...op.i32Add, ...set(A2)];
  const code = [...op.block, ...get(M), ...op.i32Eqz, op.brIf, 0, ...start, ...op.loop, ...tile, ...op.end, ...op.end, ...op.end];
  return functionBody([11, I32, 11, V128], code);
}

export function f32GemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return moduleBytes('gemm', new Array<number>(12).fill(I32), body());
}

export interface F32GemmKernel {
  readonly memory: WasmMemory;
  gemm(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, tiles: number, bias: number, relu: number, tileStep: number): void;
}

/** The kernel (its own memory), or undefined where WebAssembly SIMD is not available. */
export function loadF32GemmKernel(): F32GemmKernel | undefined {
  const exports = instantiate<{ gemm: F32GemmKernel['gemm'] }>(f32GemmModuleBytes());
  return exports && { memory: exports.memory, gemm: exports.gemm };
}

/**
 * A WebAssembly SIMD kernel scoring every int8 row against one int16 query:
 * out[r] = f32(dot(codes[r], query)) * scales[r] * queryScale. Each 16-byte step widens 16
 * codes to int16 and multiplies-adds them with i32x4.dot_i16x8_s, so a 64-wide row is 4
 * steps, unrolled for the table's width. The module is assembled here from its opcodes (a
 * few hundred bytes): no build tool and no extra file to serve. The exported function's
 * arguments are byte offsets in the module's memory: score(codes, rows, query, scales, out, queryScale).
 */
import { addConst, countDown, functionBody, get, instantiate, moduleBytes, op, set, V128, I32, F32, type WasmMemory } from './wasm-asm.ts';

export type { WasmMemory };

// Parameters 0..5, then locals: 6 p (row pointer), 7 sum, 8 acc, 9 t (16 codes), 10.. the query's int16 halves.
const [CODES, ROWS, QUERY, SCALES, OUT, QSCALE, P, SUM, ACC, T, Q0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/**
 * The function body for rows of `blocks` x 16 codes, unrolled: the query's halves are loaded
 * into locals once, and each row is `blocks` loads, widenings and dot products.
 */
function body(blocks: number): number[] {
  const queryLocals = Array.from({ length: 2 * blocks }, (_, h) => [...get(QUERY), ...op.v128Load(16 * h), ...set(Q0 + h)]).flat();
  const step = (b: number) => [
    ...get(ACC), ...get(P), ...op.v128Load(16 * b), op.tee, T, ...op.extendLow, ...get(Q0 + 2 * b), ...op.dot, ...op.i32x4Add,
    ...get(T), ...op.extendHigh, ...get(Q0 + 2 * b + 1), ...op.dot, ...op.i32x4Add, ...set(ACC),
  ];
  const lanes = [...get(ACC), ...op.lane(0), ...[1, 2, 3].flatMap((l) => [...get(ACC), ...op.lane(l), ...op.i32Add]), ...set(SUM)];
  const store = [...get(OUT), ...get(SUM), ...op.f32FromI32, ...get(SCALES), ...op.f32Load, ...op.f32Mul, ...get(QSCALE), ...op.f32Mul, ...op.f32Store];
  const row = [...op.v128Zero, ...set(ACC), ...Array.from({ length: blocks }, (_, b) => step(b)).flat(), ...lanes, ...store, ...addConst(P, 16 * blocks), ...addConst(SCALES, 4), ...addConst(OUT, 4), ...countDown(ROWS)];
  const code = [...op.block, ...get(ROWS), ...op.i32Eqz, op.brIf, 0, ...queryLocals, ...get(CODES), ...set(P), ...op.loop, ...row, ...op.end, ...op.end, ...op.end];
  return functionBody([2, I32, 2 + 2 * blocks, V128], code);
}

/** The module's bytes for rows of `blocks` x 16 codes: one function "score" and one exported, growable memory. */
export function int8DotModuleBytes(blocks: number): Uint8Array<ArrayBuffer> {
  return moduleBytes('score', [I32, I32, I32, I32, I32, F32], body(blocks));
}

export interface Int8DotKernel {
  readonly memory: WasmMemory;
  score(codes: number, rows: number, query: number, scales: number, out: number, queryScale: number): void;
}

/** The kernel for rows of `blocks` x 16 codes, or undefined where WebAssembly SIMD is not available (the caller falls back to JS). */
export function loadInt8DotKernel(blocks: number): Int8DotKernel | undefined {
  const exports = instantiate<{ score: Int8DotKernel['score'] }>(int8DotModuleBytes(blocks));
  return exports && { memory: exports.memory, score: exports.score };
}

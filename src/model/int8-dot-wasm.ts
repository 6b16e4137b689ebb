/**
 * A WebAssembly SIMD kernel scoring every int8 row against one int16 query:
 * out[r] = f32(dot(codes[r], query)) * scales[r] * queryScale. Each 16-byte step widens 16
 * codes to int16 and multiplies-adds them with i32x4.dot_i16x8_s, so a 64-wide row is 4
 * steps, unrolled for the table's width. The module is assembled here from its opcodes (a
 * few hundred bytes): no build tool and no extra file to serve. The exported function's
 * arguments are byte offsets in the module's memory: score(codes, rows, query, scales, out, queryScale).
 */
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b], brIf: 0x0d,
  get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41,
  i32Add: [0x6a], i32Sub: [0x6b], i32Eqz: [0x45], f32FromI32: [0xb2], f32Mul: [0x94],
  f32Load: [0x2a, 0x02, 0x00], f32Store: [0x38, 0x02, 0x00],
  v128Load: (offset: number) => [0xfd, 0x00, 0x00, ...leb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  extendLow: [0xfd, 0x87, 0x01], extendHigh: [0xfd, 0x88, 0x01],
  dot: [0xfd, 0xba, 0x01], i32x4Add: [0xfd, 0xae, 0x01],
  lane: (i: number) => [0xfd, 0x1b, i],
} as const;

// Parameters 0..5, then locals: 6 p (row pointer), 7 sum, 8 acc, 9 t (16 codes), 10.. the query's int16 halves.
const [CODES, ROWS, QUERY, SCALES, OUT, QSCALE, P, SUM, ACC, T, Q0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const get = (i: number) => [op.get, i];
const set = (i: number) => [op.set, i];
const addConst = (i: number, n: number) => [...get(i), op.i32Const, ...sleb(n), ...op.i32Add, ...set(i)];
const countDown = (i: number) => [...get(i), op.i32Const, 1, ...op.i32Sub, op.tee, i, op.brIf, 0];

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
  const locals = [2, 2, I32, ...leb(2 + 2 * blocks), V128];
  return [...leb(locals.length + code.length), ...locals, ...code];
}

/** Signed LEB128 (i32.const immediates). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const section = (id: number, bytes: readonly number[]) => [id, ...leb(bytes.length), ...bytes];
const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];

/** The module's bytes for rows of `blocks` x 16 codes: one function "score" and one exported, growable memory. */
export function int8DotModuleBytes(blocks: number): Uint8Array<ArrayBuffer> {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, F32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('score'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...body(blocks)]),
  ];
  return Uint8Array.from(bytes);
}

/**
 * The part of the WebAssembly API the kernel uses, typed here: the worker's TypeScript libs
 * (ES2022 + WebWorker) do not declare the WebAssembly namespace.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  readonly Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  readonly Instance: new (module: object) => { readonly exports: object };
}

export interface Int8DotKernel {
  readonly memory: WasmMemory;
  score(codes: number, rows: number, query: number, scales: number, out: number, queryScale: number): void;
}

/** The kernel for rows of `blocks` x 16 codes, or undefined where WebAssembly SIMD is not available (the caller falls back to JS). */
export function loadInt8DotKernel(blocks: number): Int8DotKernel | undefined {
  const bytes = int8DotModuleBytes(blocks);
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm || !wasm.validate(bytes)) return undefined;
  const instance = new wasm.Instance(new wasm.Module(bytes));
  const exports = instance.exports as { memory: WasmMemory; score: Int8DotKernel['score'] };
  return { memory: exports.memory, score: exports.score };
}

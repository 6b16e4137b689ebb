/**
 * What the project's hand-assembled WebAssembly kernels share (int8-dot-wasm.ts,
 * f32-gemm-wasm.ts): LEB128 immediates, module sections, the opcodes they use, and loading
 * a module where WebAssembly SIMD is available. Modules are built from their opcodes at run
 * time (a few hundred bytes): no build tool and no extra file to serve.
 */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Memory immediates: alignment hint 0, then the byte offset. */
const mem = (code: number[], offset: number): number[] => [...code, 0x00, ...leb(offset)];

export const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], end: [0x0b], brIf: 0x0d,
  get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41,
  i32Add: [0x6a], i32Sub: [0x6b], i32Eqz: [0x45], i32And: [0x71], i32ShrU: [0x76], f32FromI32: [0xb2], f32Mul: [0x94],
  f32Load: [0x2a, 0x02, 0x00], f32Store: [0x38, 0x02, 0x00],
  v128Load: (offset: number) => mem([0xfd, 0x00], offset),
  v128Load32Splat: (offset: number) => mem([0xfd, 0x09], offset),
  v128Store: (offset: number) => mem([0xfd, 0x0b], offset),
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  extendLow: [0xfd, 0x87, 0x01], extendHigh: [0xfd, 0x88, 0x01],
  dot: [0xfd, 0xba, 0x01], i32x4Add: [0xfd, 0xae, 0x01],
  f32x4Add: [0xfd, 0xe4, 0x01], f32x4Mul: [0xfd, 0xe6, 0x01], f32x4Max: [0xfd, 0xe9, 0x01],
  lane: (i: number) => [0xfd, 0x1b, i],
} as const;

export const get = (i: number): number[] => [op.get, i];
export const set = (i: number): number[] => [op.set, i];
/** local i += n (n a constant). */
export const addConst = (i: number, n: number): number[] => [...get(i), op.i32Const, ...sleb(n), ...op.i32Add, ...set(i)];
/** local i += local j. */
export const addLocal = (i: number, j: number): number[] => [...get(i), ...get(j), ...op.i32Add, ...set(i)];
/** The end of a do-while loop: local i -= 1, and branch back while it is not 0. */
export const countDown = (i: number): number[] => [...get(i), op.i32Const, 1, ...op.i32Sub, op.tee, i, op.brIf, 0];

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export function leb(n: number): number[] {
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

/** A function body: its locals ([count, type] pairs, flattened) and code. */
export function functionBody(locals: readonly number[], code: readonly number[]): number[] {
  const declared = [...leb(locals.length / 2), ...locals.flatMap((x, i) => (i % 2 === 0 ? leb(x) : [x]))];
  return [...leb(declared.length + code.length), ...declared, ...code];
}

/** A module of one function `exportName` with `params` (no results) and one exported, growable memory. */
export function moduleBytes(exportName: string, params: readonly number[], body: readonly number[]): Uint8Array<ArrayBuffer> {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, params.length, ...params, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name(exportName), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...body]),
  ];
  return Uint8Array.from(bytes);
}

/**
 * The part of the WebAssembly API the kernels use, typed here: the worker's TypeScript libs
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

/** The module's exports, or undefined where WebAssembly (with SIMD) is not available. */
export function instantiate<T extends object>(bytes: Uint8Array<ArrayBuffer>): (T & { memory: WasmMemory }) | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm || !wasm.validate(bytes)) return undefined;
  return new wasm.Instance(new wasm.Module(bytes)).exports as T & { memory: WasmMemory };
}

import { loadInt8DotKernel, type Int8DotKernel, type WasmMemory } from './int8-dot-wasm.ts';
import { dequantizeRows, INT8_LANES, quantizeQuery, type Int8Rows } from './int8-rows.ts';

/**
 * Scores every row of an int8 table against one query vector: the whole-domain ranking of a
 * large catalog without a float32 copy of its item vectors. The table is copied once into
 * the kernel's own WebAssembly memory; a JS loop with the same arithmetic stands in where
 * WebAssembly SIMD is missing.
 */
export interface Int8Scorer {
  readonly rows: number;
  /** Which implementation runs: 'wasm-simd' or 'js'. */
  readonly kernel: 'wasm-simd' | 'js';
  /** Bytes the scorer holds (its WebAssembly memory, or the table it reads). */
  readonly bytes: number;
  /** [rows] scores, approximating dot(row, query). */
  score(query: Float32Array): Float32Array;
  /**
   * [indices.length, dim] float values of some rows (code x scale), read from the scorer's
   * own copy: the caller can drop the table it was made from and still gather a history.
   */
  rowsOf(indices: ArrayLike<number>): Float32Array;
  dispose(): void;
}

export interface Int8ScorerOptions {
  /** false forces the JS loop (tests compare the two). */
  readonly simd?: boolean;
}

export function createInt8Scorer(table: Int8Rows, options: Int8ScorerOptions = {}): Int8Scorer {
  const kernel = options.simd === false || table.stride === 0 ? undefined : loadInt8DotKernel(table.stride / INT8_LANES);
  return kernel ? wasmScorer(table, kernel) : jsScorer(table);
}

const align = (n: number) => Math.ceil(n / INT8_LANES) * INT8_LANES;

function wasmScorer(table: Int8Rows, kernel: Int8DotKernel): Int8Scorer {
  const query = 0;
  const scales = align(table.stride * 2);
  const out = scales + align(table.rows * 4);
  const codes = out + align(table.rows * 4);
  const bytes = codes + table.codes.length;
  const pages = Math.ceil(bytes / 65536) - kernel.memory.buffer.byteLength / 65536;
  if (pages > 0) kernel.memory.grow(pages);
  new Int8Array(kernel.memory.buffer, codes, table.codes.length).set(table.codes);
  new Float32Array(kernel.memory.buffer, scales, table.rows).set(table.scales);
  let memory: WasmMemory | undefined = kernel.memory;
  // Only the shape from here on: the closures must not keep the caller's copy of the rows alive.
  const { rows, dim, stride } = table;
  const length = table.codes.length;
  return {
    rows,
    kernel: 'wasm-simd',
    bytes: kernel.memory.buffer.byteLength,
    score(vector) {
      if (!memory) throw new RangeError('Int8Scorer: score() after dispose()');
      const q = quantizeQuery(vector, stride);
      new Int16Array(memory.buffer, query, stride).set(q.codes);
      kernel.score(codes, rows, query, scales, out, q.scale);
      return new Float32Array(memory.buffer, out, rows).slice();
    },
    rowsOf(indices) {
      if (!memory) throw new RangeError('Int8Scorer: rowsOf() after dispose()');
      const view = { rows, dim, stride, codes: new Int8Array(memory.buffer, codes, length), scales: new Float32Array(memory.buffer, scales, rows) };
      return dequantizeRows(view, indices);
    },
    // The instance and its memory are freed with the last reference to them.
    dispose: () => void (memory = undefined),
  };
}

function jsScorer(table: Int8Rows): Int8Scorer {
  const { rows, stride, codes, scales } = table;
  return {
    rows,
    kernel: 'js',
    bytes: codes.byteLength + scales.byteLength,
    score(vector) {
      const q = quantizeQuery(vector, stride);
      const result = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let j = 0, o = r * stride; j < stride; j++) sum += codes[o + j]! * q.codes[j]!;
        // The kernel's order of float operations, so both give the same bits.
        result[r] = Math.fround(Math.fround(sum) * scales[r]!) * Math.fround(q.scale);
      }
      return result;
    },
    rowsOf: (indices) => dequantizeRows(table, indices),
    dispose: () => undefined,
  };
}

import { describe, expect, it } from 'vitest';
import { topK } from '../eval/top-k.ts';
import { createRng } from './rng.ts';
import { dequantizeRows, paddedDim, quantizeQuery, quantizeRows } from './int8-rows.ts';
import { int8DotModuleBytes } from './int8-dot-wasm.ts';
import { createInt8Scorer } from './int8-scorer.ts';

function gaussianRows(rows: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * dim }, () => rng.normal());
}

function exactScores(vectors: Float32Array, dim: number, query: Float32Array): Float32Array {
  const out = new Float32Array(vectors.length / dim);
  for (let r = 0; r < out.length; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += vectors[r * dim + j]! * query[j]!;
    out[r] = s;
  }
  return out;
}

describe('int8 item rows', () => {
  it('quantize per row (absmax / 127) and pad rows to 16 values', () => {
    const t = quantizeRows(Float32Array.from([1, -0.5, 0.25, 0, 0, 0]), 3);
    expect([t.rows, t.dim, t.stride, paddedDim(17)]).toEqual([2, 3, 16, 32]);
    expect(Array.from(t.codes.subarray(0, 4))).toEqual([127, -63, 32, 0]); // -63.5 rounds half up
    expect(t.scales[0]).toBeCloseTo(1 / 127, 9);
    expect(t.scales[1]).toBe(0);
    expect(Array.from(dequantizeRows(t, [0]))).toEqual([127, -63, 32].map((c) => Math.fround(c * Math.fround(1 / 127))));
    expect(() => quantizeRows(new Float32Array(5), 3)).toThrow(/whole rows/);
  });

  it('the int16 query keeps its sign and largest value exactly', () => {
    const q = quantizeQuery(Float32Array.from([0.5, -1, 0]), 16);
    expect(Array.from(q.codes.subarray(0, 3))).toEqual([16384, -32767, 0]);
    expect(() => quantizeQuery(new Float32Array(8), 528)).toThrow(/over 512/);
  });
});

describe('int8 scorer', () => {
  it('assembles a valid WebAssembly SIMD module', () => {
    for (const blocks of [1, 4, 16]) expect(WebAssembly.validate(int8DotModuleBytes(blocks))).toBe(true);
    expect(createInt8Scorer(quantizeRows(new Float32Array(16), 16)).kernel).toBe('wasm-simd');
  });

  it('the SIMD kernel and the JS loop give the same bits, for widths that need padding too', () => {
    for (const dim of [16, 40, 64, 300]) {
      const table = quantizeRows(gaussianRows(301, dim, dim), dim);
      const query = gaussianRows(1, dim, 99);
      const simd = createInt8Scorer(table).score(query);
      const js = createInt8Scorer(table, { simd: false }).score(query);
      expect(simd).toEqual(js);
    }
  });

  it('approximates exact float scores closely and keeps the exact top 10', () => {
    const dim = 64;
    const vectors = gaussianRows(20_000, dim, 5);
    const scorer = createInt8Scorer(quantizeRows(vectors, dim));
    const items = Int32Array.from({ length: 20_000 }, (_, i) => i);
    let found = 0;
    for (let s = 0; s < 10; s++) {
      const query = gaussianRows(1, dim, 1000 + s);
      const exact = exactScores(vectors, dim, query);
      const approx = scorer.score(query);
      for (let r = 0; r < 200; r++) expect(Math.abs(approx[r]! - exact[r]!)).toBeLessThan(0.05 * Math.sqrt(dim));
      const want = new Set(topK(exact, items, 10).map((x) => x.item));
      found += topK(approx, items, 10).filter((x) => want.has(x.item)).length;
    }
    expect(found / 100).toBeGreaterThanOrEqual(0.99);
  });

  it('reads rows back from its own copy of the table, SIMD or not', () => {
    const table = quantizeRows(gaussianRows(50, 40, 8), 40);
    const want = dequantizeRows(table, [3, 0, 49]);
    for (const simd of [true, false]) expect(createInt8Scorer(table, { simd }).rowsOf([3, 0, 49])).toEqual(want);
    const scorer = createInt8Scorer(table);
    table.codes.fill(0);
    expect(scorer.rowsOf([3, 0, 49])).toEqual(want);
    scorer.dispose();
    expect(() => scorer.rowsOf([0])).toThrow(/after dispose/);
  });

  it('an empty table scores nothing; a disposed scorer refuses to score', () => {
    const empty = createInt8Scorer(quantizeRows(new Float32Array(0), 16));
    expect(empty.score(new Float32Array(16))).toHaveLength(0);
    empty.dispose();
    expect(() => empty.score(new Float32Array(16))).toThrow(/after dispose/);
  });
});

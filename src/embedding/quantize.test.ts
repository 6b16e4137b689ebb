import { describe, expect, it } from 'vitest';
import { dequantizeRow, fromHalf, quantizeRow, rowBytes, toHalf, type Quantization } from './quantize.ts';
import { cosine, randomUnitVectors } from './vector-math.ts';

describe('half floats', () => {
  it('match known IEEE binary16 bit patterns', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(0)).toBe(0);
    expect(fromHalf(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(fromHalf(0x0001)).toBe(2 ** -24);
  });

  it('round-trip every finite half exactly', () => {
    const bad: number[] = [];
    for (let h = 0; h < 0x7c00; h++) if (toHalf(fromHalf(h)) !== h || toHalf(-fromHalf(h)) !== (h | 0x8000)) bad.push(h);
    expect(bad).toEqual([]);
  });

  it('rounds to nearest even', () => {
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
});

describe('row quantization', () => {
  const dim = 512;
  const rows = randomUnitVectors(200, dim, 42);
  const worst = (q: Quantization): number => {
    const view = new DataView(new ArrayBuffer(rowBytes(q, dim)));
    const out = new Float32Array(dim);
    let max = 0;
    for (const row of rows) {
      quantizeRow(row, q, view, 0);
      dequantizeRow(view, 0, q, out, 0, dim);
      max = Math.max(max, 1 - cosine(row, out));
    }
    return max;
  };

  it('costs 4, 2 and 1 (+4 per row) bytes per value', () => {
    expect([rowBytes('fp32', dim), rowBytes('fp16', dim), rowBytes('int8', dim)]).toEqual([2048, 1024, 516]);
  });

  it('keeps cosine to fp32 within measured bounds (fp32 exact, fp16 < 1e-6, int8 < 1e-4)', () => {
    expect(worst('fp32')).toBeLessThan(1e-7);
    expect(worst('fp16')).toBeLessThan(1e-6);
    expect(worst('int8')).toBeLessThan(1e-4);
  });

  it('keeps an all-zero row zero', () => {
    const view = new DataView(new ArrayBuffer(rowBytes('int8', 4)));
    const out = new Float32Array(4).fill(9);
    quantizeRow([0, 0, 0, 0], 'int8', view, 0);
    dequantizeRow(view, 0, 'int8', out, 0, 4);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });
});

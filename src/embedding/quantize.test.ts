import { describe, expect, it } from 'vitest';
import { dequantizeRow, quantizeRow, rowBytes, type Quantization } from './quantize.ts';
import { cosine, randomUnitVectors } from './vector-math.ts';

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

import { describe, expect, it } from 'vitest';
import { ModelFormatError } from './errors.ts';
import { decodeItemTable, encodeItemTable, gatherTable } from './item-table-binary.ts';

// 3 rows (row 0 = padding), dim 4, 2 modality weights per row.
const vectors = Float32Array.from([0, 0, 0, 0, 0.5, -1, 0.25, 0.1, 3, 2, -1, 0]);
const alpha = Float32Array.from([0, 0, 0.25, 0.75, 1, 0]);

describe('items.bin', () => {
  it('round-trips vectors within half a per-row step (63 levels), and the modality weights within 1/510', () => {
    const { header, table } = decodeItemTable(encodeItemTable({ vectors, alpha }, 3).slice().buffer, 'items.bin');
    expect(header).toEqual({ version: 1, rows: 3, dim: 4, modalities: 2, levels: 63 });
    for (let r = 0; r < 3; r++) {
      const step = Math.max(...Array.from(vectors.subarray(r * 4, r * 4 + 4), Math.abs)) / 63;
      for (let k = 0; k < 4; k++) expect(Math.abs(table.vectors[r * 4 + k]! - vectors[r * 4 + k]!)).toBeLessThanOrEqual(step / 2 + 1e-7);
    }
    alpha.forEach((a, i) => expect(Math.abs(table.alpha![i]! - a)).toBeLessThanOrEqual(1 / 510));
  });

  it('gathers rows for a catalog by bundle row, leaving unknown rows zero', () => {
    const { header, table } = decodeItemTable(encodeItemTable({ vectors, alpha }, 3).slice().buffer, 'items.bin');
    const out = gatherTable(table, header, Int32Array.from([0, 2, -1]));
    expect(Array.from(out.vectors.subarray(4, 8))).toEqual(Array.from(table.vectors.subarray(8, 12)));
    expect(Array.from(out.vectors.subarray(8, 12))).toEqual([0, 0, 0, 0]);
  });

  it('refuses another file with a ModelFormatError', () => {
    expect(() => decodeItemTable(new Uint8Array(16).buffer, 'https://shop/haf/items.bin')).toThrow(ModelFormatError);
  });
});

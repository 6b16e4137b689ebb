import { describe, expect, it } from 'vitest';
import { DEFAULT_COOCCURRENCE, type TransitionTable } from '../eval/baselines/cooccurrence.ts';
import { ModelFormatError } from './errors.ts';
import { cutTable, decodePrior, encodePrior } from './prior-binary.ts';

// Rows 1..3 (row 0 is padding): 1 -> {2: 3, 3: 1}, 2 -> {1: 0.5}, 3 -> {}.
const table: TransitionTable = {
  offsets: Uint32Array.from([0, 0, 2, 3, 3]),
  targets: Int32Array.from([2, 3, 1]),
  weights: Float32Array.from([3, 1, 0.5]),
};
const popularity = [0, 4, 2, 7];

describe('prior.bin', () => {
  it('round-trips the table, the popularity and the header (float16 weights)', () => {
    const bytes = encodePrior(table, popularity, { params: DEFAULT_COOCCURRENCE, top: 0, source: 'test' });
    const prior = decodePrior(bytes.slice().buffer, 'prior.bin');
    expect(prior.header).toMatchObject({ version: 1, rows: 3, edges: 3, targetBytes: 2, top: 0, source: 'test', params: DEFAULT_COOCCURRENCE });
    expect([...prior.table.offsets]).toEqual([...table.offsets]);
    expect([...prior.table.targets]).toEqual([...table.targets]);
    expect([...prior.table.weights]).toEqual([3, 1, 0.5]);
    expect([...prior.popularity]).toEqual(popularity);
  });

  it('cutTable keeps the heaviest transitions of each row, in target order', () => {
    const cut = cutTable(table, 1);
    expect([...cut.offsets]).toEqual([0, 0, 1, 2, 2]);
    expect([...cut.targets]).toEqual([2, 1]);
    expect([...cut.weights]).toEqual([3, 0.5]);
    expect(cutTable(table, 0)).toBe(table);
  });

  it('refuses other files and truncated ones with a ModelFormatError naming the URL', () => {
    expect(() => decodePrior(new TextEncoder().encode('{"kind": "cooccurrence"}').buffer, 'https://shop/prior.bin')).toThrow(ModelFormatError);
    const bytes = encodePrior(table, popularity, { params: DEFAULT_COOCCURRENCE, top: 0 });
    expect(() => decodePrior(bytes.slice(0, bytes.length - 4).buffer, 'https://shop/prior.bin')).toThrow(/truncated/);
  });
});

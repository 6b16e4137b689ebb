import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { Sequence } from '../catalog/types.ts';
import { createHafModel } from './create.ts';
import { COOCCURRENCE_INIT_SCALE, cooccurrenceItemInit, cooccurrencePpmi, jacobiEigen } from './item-init.ts';

const seq = (...items: number[]): Sequence => ({ user: 'u', items: Int32Array.from(items) });
// Two groups bought together (1-4 and 5-8); item 9 never co-occurs with anything.
const train = [seq(1, 2, 3, 4), seq(2, 1, 4, 3), seq(3, 4, 1, 2), seq(5, 6, 7, 8), seq(6, 5, 8, 7), seq(7, 8, 5, 6), seq(9)];
const cosine = (rows: Float32Array, d: number, a: number, b: number): number => {
  let dot = 0, na = 0, nb = 0;
  for (let c = 0; c < d; c++) {
    dot += rows[a * d + c]! * rows[b * d + c]!;
    na += rows[a * d + c]! ** 2;
    nb += rows[b * d + c]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
};

describe('co-occurrence item init', () => {
  it('computes PPMI by hand for a pair seen once in a tiny log', () => {
    // One sequence [1, 2]: counts 1->2 and 2->1 of weight 1; total 2, row sums 1 and 1: PMI log(1 * 2 / 1) = log 2.
    const m = cooccurrencePpmi([seq(1, 2)], 2);
    expect(Array.from(m.columns.subarray(m.offsets[1]!, m.offsets[2]!))).toEqual([2]);
    expect(m.values[m.offsets[1]!]).toBeCloseTo(Math.log(2), 12);
  });

  it('diagonalizes a symmetric matrix (Jacobi): A v = lambda v', () => {
    const a = [[4, 1, 2], [1, 3, 0], [2, 0, 5]];
    const { values, vectors } = jacobiEigen(a);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        const av = a[i]!.reduce((s, x, k) => s + x * vectors[k]![j]!, 0);
        expect(av).toBeCloseTo(values[j]! * vectors[i]![j]!, 9);
      }
    }
  });

  it('places items bought together closer than items of the other group, and leaves the others out', () => {
    const d = 4;
    const { rows, has } = cooccurrenceItemInit(train, 9, d);
    expect(Array.from(has)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(cosine(rows, d, 1, 2)).toBeGreaterThan(cosine(rows, d, 1, 6) + 0.5);
    expect(cosine(rows, d, 5, 8)).toBeGreaterThan(cosine(rows, d, 4, 8) + 0.5);
    const norms = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => Math.hypot(...rows.subarray(i * d, (i + 1) * d)));
    expect(norms.reduce((s, x) => s + x, 0) / 8).toBeCloseTo(COOCCURRENCE_INIT_SCALE * 0.05 * Math.sqrt(d), 5);
    expect(cooccurrenceItemInit(train, 9, d).rows).toEqual(rows);
  });

  it('starts a model\'s ID rows from it, keeping the random rows of items that never co-occur', () => {
    const catalog = createCatalog('t', Array.from({ length: 9 }, (_, i) => ({ id: `i${i + 1}`, domain: i < 4 ? 'a' : 'b' })));
    const config = { dim: 8, heads: 1 };
    const before = tf.memory().numTensors;
    const random = createHafModel(catalog, { config, train, seed: 1 });
    const started = createHafModel(catalog, { config, train, seed: 1, itemInit: 'cooccurrence' });
    try {
      const r = random.params.get('item.id')!.dataSync();
      const s = started.params.get('item.id')!.dataSync();
      const { rows } = cooccurrenceItemInit(train, 9, 8);
      expect(Array.from(s.subarray(8, 16))).toEqual(Array.from(rows.subarray(8, 16)));
      expect(Array.from(s.subarray(9 * 8))).toEqual(Array.from(r.subarray(9 * 8)));
      expect(() => createHafModel(catalog, { config, itemInit: 'cooccurrence' })).toThrow(/needs the training sequences/);
    } finally {
      random.dispose();
      started.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

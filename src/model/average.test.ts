import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { averageInto } from './average.ts';
import { createHafModel } from './create.ts';
import { WeightsFormatError } from './errors.ts';
import { TINY, tinyCatalog, tinyText } from './test-fixtures.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);

describe('averageInto (weight averaging)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives every parameter the mean over the models, leaves the others alone and leaks nothing', () => {
    const models = [1, 2, 3].map((seed) => createHafModel(catalog, { config: TINY, features: [text], seed }));
    const [a, b, c] = models as [typeof models[0], typeof models[0], typeof models[0]];
    const before = new Map([...b.params].map(([name, v]) => [name, Array.from(v.dataSync())]));
    const expected = new Map([...a.params].map(([name, v]) => {
      const [x, y, z] = [v, b.params.get(name)!, c.params.get(name)!].map((t) => t.dataSync());
      return [name, Array.from(x!, (value, i) => (value + y![i]! + z![i]!) / 3)];
    }));
    const tensors = tf.memory().numTensors;
    averageInto(a, [b, c]);
    expect(tf.memory().numTensors).toBe(tensors);
    for (const [name, v] of a.params) {
      const got = v.dataSync();
      expected.get(name)!.forEach((value, i) => expect(got[i]).toBeCloseTo(value, 6));
      expect(Array.from(b.params.get(name)!.dataSync())).toEqual(before.get(name));
    }
    models.forEach((m) => m.dispose());
  });

  it('refuses models of another architecture with a typed error', () => {
    const a = createHafModel(catalog, { config: TINY, features: [text] });
    const wider = createHafModel(catalog, { config: { ...TINY, dim: TINY.dim! * 2 }, features: [text] });
    expect(() => averageInto(a, [wider])).toThrow(WeightsFormatError);
    expect(() => averageInto(a, [wider])).toThrow(/different configs/);
    a.dispose();
    wider.dispose();
  });
});

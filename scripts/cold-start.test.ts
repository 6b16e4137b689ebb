import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvalCase } from '../src/catalog/types.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { createHafModel } from '../src/model/create.ts';
import { HafRecommender } from '../src/model/recommender.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../src/model/test-fixtures.ts';
import { chooseNewItemScale, newProductItems, newProductReport, selectionScore } from './cold-start.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const train = tinyTrain();
const cases: EvalCase[] = [
  { user: 'a', history: Int32Array.from([1, 7, 2]), target: 4, domain: 0, negatives: Int32Array.from([1, 2, 5, 6]) },
  { user: 'b', history: Int32Array.from([2, 8, 4]), target: 9, domain: 1, negatives: Int32Array.from([7, 8, 10, 11, 12]) },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('newProductReport (the cold-start measure)', () => {
  it('describes the targets and a seeded share of the other items as new, and nothing else', () => {
    const items = [...newProductItems(catalog, cases)];
    expect(items).toContain(4);
    expect(items).toContain(9);
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.length).toBeLessThan(8);
    expect([...newProductItems(catalog, cases)]).toEqual(items);
  });

  it('ranks as a model whose log never held those items would, then leaves the model as it was', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train });
    const hidden = new Set(newProductItems(catalog, cases));
    const unseen = createHafModel(catalog, { config: TINY, features: [text], train: train.map((s) => ({ ...s, items: s.items.filter((i) => !hidden.has(i)) })) });
    const plain = new HafRecommender(model, catalog, { ownsModel: false });
    try {
      const before = await evaluate(plain, catalog, cases);
      const tensors = tf.memory().numTensors;
      const report = await newProductReport(model, catalog, cases, true);
      expect(tf.memory().numTensors).toBe(tensors);
      const reference = await evaluate(new HafRecommender(unseen, catalog, { ownsModel: false }), catalog, cases);
      expect(report.ranks).toEqual(reference.ranks);
      expect(report.ranks).not.toEqual(before.ranks);
      plain.invalidate();
      expect((await evaluate(plain, catalog, cases)).ranks).toEqual(before.ranks);
    } finally {
      plain.dispose();
      model.dispose();
      unseen.dispose();
    }
  });
});

describe('chooseNewItemScale', () => {
  it('scores every factor on the given cases, keeps the best (1 on a tie) and leaves the model at it', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train });
    try {
      const tensors = tf.memory().numTensors;
      const choice = await chooseNewItemScale(model, catalog, cases, [1, 0.25, 4]);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(choice.candidates.map((c) => c.scale)).toEqual([1, 0.25, 4]);
      const best = Math.max(...choice.candidates.map((c) => c.score));
      expect(choice.scale).toBe(choice.candidates.find((c) => c.score === best)!.scale);
      expect(model.config.newItemScale).toBe(choice.scale);
      for (const c of choice.candidates) {
        model.setNewItemScale(c.scale);
        expect(await selectionScore(model, catalog, cases)).toEqual({ valid: c.valid, newProducts: c.newProducts, score: c.score });
        expect(c.score).toBeCloseTo(0.8 * c.valid + 0.2 * c.newProducts, 12);
      }
      const tie = await chooseNewItemScale(model, catalog, cases, [1, 1]);
      expect(tie.scale).toBe(1);
    } finally {
      model.dispose();
    }
  });
});

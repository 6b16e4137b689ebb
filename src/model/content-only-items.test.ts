/**
 * Items described by their content alone, as the served model describes products new to its
 * weights: HafModel.hideIds (the cold-start measure) and the trainer's ID dropout.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHafModel } from './create.ts';
import { createOptimizer, trainStep } from './train-step.ts';
import { createRng } from './rng.ts';
import { ConfigError } from './errors.ts';
import { maxDiff, TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const train = tinyTrain();
const data = { train, domainItems: catalog.domainItems, domainOf: catalog.domainOf };
const items = (): tf.Tensor1D => tf.tensor1d([3, 4, 5], 'int32'); // 3 has no text

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('HafModel.hideIds', () => {
  it('describes hidden items as items the weights never saw, keeps items without content, and undoes it', () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train });
    // The same weights (same seed), trained on a log without item 4: its ID row is unknown.
    const unseen = createHafModel(catalog, { config: TINY, features: [text], train: train.map((s) => ({ ...s, items: s.items.filter((i) => i !== 4) })) });
    try {
      const before = tf.tidy(() => model.itemVectors(items()).vectors);
      const tensors = tf.memory().numTensors;
      const restore = model.hideIds([3, 4]);
      const hidden = tf.tidy(() => {
        const out = model.itemVectors(items());
        return { vectors: out.vectors, alpha: out.alpha! };
      });
      const reference = tf.tidy(() => unseen.itemVectors(items()).vectors);
      expect(maxDiff(hidden.vectors, reference)).toBe(0);
      const alpha = hidden.alpha.arraySync();
      expect(alpha[1]![0]).toBe(0); // item 4: no weight on its ID row
      expect(alpha[0]![0]).toBe(1); // item 3 has only its ID row: it keeps it
      tf.dispose([hidden.vectors, hidden.alpha, reference]);
      restore();
      expect(tf.memory().numTensors).toBe(tensors);
      const after = tf.tidy(() => model.itemVectors(items()).vectors);
      expect(maxDiff(after, before)).toBe(0);
      tf.dispose([before, after]);
    } finally {
      model.dispose();
      unseen.dispose();
    }
  });
});

describe('config.newItemScale', () => {
  it('multiplies the vectors of items described by content alone, and no other row (not items without content, not ID dropout rows)', () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train });
    try {
      const restore = model.hideIds([3, 4]);
      const plain = tf.tidy(() => model.itemVectors(items()).vectors.arraySync());
      const dropped = tf.tidy(() => model.itemVectors(items(), tf.tensor1d([0, 0, 1])).vectors.arraySync());
      model.setNewItemScale(2.5);
      expect(model.config.newItemScale).toBe(2.5);
      const scaled = tf.tidy(() => model.itemVectors(items()).vectors.arraySync());
      const droppedScaled = tf.tidy(() => model.itemVectors(items(), tf.tensor1d([0, 0, 1])).vectors.arraySync());
      expect(scaled[0]).toEqual(plain[0]); // item 3: no text, its ID row stays
      scaled[1]!.forEach((v, j) => expect(v).toBeCloseTo(2.5 * plain[1]![j]!, 6)); // item 4: new, content only
      expect(scaled[2]).toEqual(plain[2]); // item 5: a trained row
      expect(droppedScaled[2]).toEqual(dropped[2]); // item 5 under ID dropout: trained, unscaled
      model.setNewItemScale(1);
      expect(tf.tidy(() => model.itemVectors(items()).vectors.arraySync())).toEqual(plain);
      restore();
    } finally {
      model.dispose();
    }
  });

  it('rejects a factor that is not a positive number, naming what is valid', () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train });
    try {
      expect(() => model.setNewItemScale(0)).toThrow(/newItemScale = 0 is invalid: use a positive number/);
      expect(() => model.setNewItemScale(Number.NaN)).toThrow(ConfigError);
      expect(model.config.newItemScale).toBe(1);
    } finally {
      model.dispose();
    }
  });
});

describe('trainer: idDropout', () => {
  const idRows = async (dropout: number): Promise<{ moved: boolean[] }> => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train });
    const optimizer = createOptimizer(model, { learningRate: 0.05 });
    try {
      const start = await model.tree.item.id.array() as number[][];
      const sources = train.slice(0, 8).map((s) => ({ history: s.items }));
      await trainStep(model, optimizer, sources, data, { negatives: 'full', weightDecay: 0, idDropout: dropout }, createRng(1));
      const end = await model.tree.item.id.array() as number[][];
      return { moved: start.map((row, i) => row.some((v, j) => v !== end[i]![j])) };
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  };

  it('at 1, trains no ID row of an item with content (they are all described by content), but still the rows of items without', async () => {
    const { moved } = await idRows(1);
    expect(moved[3]).toBe(true); // no text: its ID row is all it has
    expect(moved.filter((m, i) => m && i !== 3)).toEqual([]);
  });

  it('at 0, trains the ID rows as before', async () => {
    const { moved } = await idRows(0);
    expect(moved.filter(Boolean).length).toBeGreaterThan(6);
  });
});

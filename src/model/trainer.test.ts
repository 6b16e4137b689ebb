/** The trainer's time box and starting checkpoint (what the settings search relies on). */
import { describe, expect, it } from 'vitest';
import { createHafModel } from './create.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';
import { createOptimizer } from './train-step.ts';
import { train } from './trainer.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const data = { train: tinyTrain(), domainItems: catalog.domainItems, domainOf: catalog.domainOf };

describe('train: initialValid and maxSeconds', () => {
  it('keeps the starting weights (epoch 0) when no epoch beats initialValid', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    try {
      const start = await model.params.get('item.id')!.data();
      const scores = [0.3, 0.4, 0.2];
      let call = 0;
      const result = await train(model, data, { epochs: 3, batchPositions: 32, negatives: 4, patience: 5, learningRate: 0.01, initialValid: 0.5, validate: async () => scores[call++]! });
      expect(result.epochs).toBe(3);
      expect(result.bestEpoch).toBe(0);
      expect(result.bestValid).toBe(0.5);
      expect(await model.params.get('item.id')!.data()).toEqual(start);
    } finally {
      model.dispose();
    }
  });

  it('counts patience from the starting checkpoint, and an epoch that beats it wins', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    try {
      const scores = [0.1, 0.6, 0.1, 0.1];
      let call = 0;
      const result = await train(model, data, { epochs: 4, batchPositions: 32, negatives: 4, patience: 2, initialValid: 0.5, validate: async () => scores[call++]! });
      expect([result.bestEpoch, result.bestValid, result.epochs]).toEqual([2, 0.6, 4]);
      const stopped = await train(model, data, { epochs: 4, batchPositions: 32, negatives: 4, patience: 1, initialValid: 0.9, validate: async () => 0.1 });
      expect([stopped.bestEpoch, stopped.epochs]).toEqual([0, 1]);
    } finally {
      model.dispose();
    }
  });

  it('stops within the time box: the epoch under way ends after the batch that crosses it, no new epoch starts', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    try {
      const result = await train(model, data, { epochs: 50, batchPositions: 8, negatives: 4, maxSeconds: 1e-6 });
      expect(result.epochs).toBe(1);
      expect(result.history[0]!.positions).toBeGreaterThan(0);
      expect(result.history[0]!.positions).toBeLessThan(trainPositions());
    } finally {
      model.dispose();
    }
  });
});

const trainPositions = (): number => data.train.reduce((n, s) => n + Math.min(s.items.length - 1, TINY.maxLength!), 0);

describe('train: the clock of the time box', () => {
  it('follows the given clock (the settings search passes CPU time)', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    try {
      let t = 0;
      let batches = 0;
      const onProgress = (e: { status: string }): void => void (e.status === 'batch' && batches++);
      // Each reading advances one "second": the deadline is read at 0 + 3, crossed after the third batch.
      const result = await train(model, data, { epochs: 50, batchPositions: 8, negatives: 4, maxSeconds: 3, clock: () => t++, onProgress });
      expect([result.epochs, batches]).toEqual([1, 3]);
    } finally {
      model.dispose();
    }
  });
});

describe('train: a given optimizer', () => {
  it('continues with its state and rate, and is left to the caller', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const optimizer = createOptimizer(model, { learningRate: 0.02 });
    try {
      const first = await train(model, data, { epochs: 1, batchPositions: 32, negatives: 4, learningRate: 0.5, optimizer });
      const second = await train(model, data, { epochs: 1, batchPositions: 32, negatives: 4, optimizer, seed: 2 });
      expect([first.history[0]!.learningRate, second.history[0]!.learningRate]).toEqual([0.02, 0.02]);
      // Not disposed by train: a third call can still step with it.
      await expect(train(model, data, { epochs: 1, batchPositions: 32, negatives: 4, optimizer })).resolves.toBeDefined();
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  });
});

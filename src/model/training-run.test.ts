/**
 * The one training loop (training-run.ts). The CLI's `train` steps through it; the pinned
 * numbers were recorded from trainer.ts's own epoch loop before it did (same seed, same
 * losses and weights: the loop moved, the numbers did not). The workbench's are pinned in
 * engine/workbench/workbench-train.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHafModel } from './create.ts';
import { ConfigError } from './errors.ts';
import type { HafModel } from './model.ts';
import { createOptimizer } from './train-step.ts';
import { train, type TrainOptions } from './trainer.ts';
import { TrainingRun, type RunStep } from './training-run.ts';
import { fingerprint, round, TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const data = { train: tinyTrain(), domainItems: catalog.domainItems, domainOf: catalog.domainOf };
const tinyModel = (): HafModel => createHafModel(catalog, { config: TINY, features: [text], train: data.train, seed: 3 });
const options = { seed: 5, learningRate: 0.01, batchPositions: 16, negatives: 4, weightDecay: 0 } as const;

/** Batch losses of one `train` call, then the epoch loss of a second (seed 99) and the weights' fingerprint. */
async function cliRun(partial: Partial<TrainOptions>): Promise<{ batches: number[]; epochs: number[]; weights: number[] }> {
  const model = tinyModel();
  try {
    const batches: number[] = [];
    await train(model, data, { ...partial, onProgress: (e) => void (e.status === 'batch' && batches.push(round(e.loss))) });
    const result = await train(model, data, { ...partial, epochs: 1, seed: 99 });
    return { batches, epochs: result.history.map((h) => round(h.loss)), weights: await fingerprint(model) };
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train: numbers pinned from the epoch loop before it was the one loop', () => {
  it('two epochs with weight decay, ID dropout and distillation', async () => {
    const run = await cliRun({ epochs: 2, batchPositions: 8, negatives: 4, learningRate: 0.01, weightDecay: 1e-4, idDropout: 0.2, distill: 0.3, seed: 7 });
    expect(run).toEqual({
      batches: [
        2.230432, 2.247013, 2.143557, 2.054976, 1.489071, 1.868503, 1.955248, 1.83913, 1.657213, 1.572455, 1.539008, 1.725232,
        1.581247, 1.482404, 1.387068, 1.374348, 1.22883, 1.231562, 1.127438, 0.9513766, 1.592209, 1.365722, 1.603214, 1.47313,
      ],
      epochs: [1.288867],
      weights: [71.33741, 245.1264],
    });
  });

  it('a plateau schedule (fresh optimizers) with a batch cap per epoch', async () => {
    const scores = [0.5, 0.4, 0.6, 0.3];
    let call = 0;
    const validate = async (): Promise<number> => scores[call++ % 4]!;
    const run = await cliRun({ epochs: 4, batchPositions: 8, negatives: 'full', learningRate: 0.02, maxBatchesPerEpoch: 3, lrSchedule: 'plateau', patience: 5, validate, seed: 11 });
    expect(run).toEqual({
      batches: [2.069113, 2.197538, 1.836978, 2.150126, 1.547706, 1.493872, 2.167144, 1.763204, 1.477616, 1.430934, 1.656869, 1.450352],
      epochs: [1.559341],
      weights: [67.78319, 234.2604],
    });
  });
});

describe('TrainingRun', () => {
  it('resumes exactly: steps in pieces equal steps in one go, across epoch boundaries', async () => {
    const [a, b] = [tinyModel(), tinyModel()];
    const [one, pieces] = [new TrainingRun(a, data, options), new TrainingRun(b, data, options)];
    try {
      const seen: RunStep[] = [];
      expect(await one.steps(12, (s) => void seen.push(s))).toBe(12);
      await pieces.steps(5);
      for (let i = 0; i < 7; i++) await pieces.step();
      expect([pieces.stepsDone, pieces.epoch, pieces.positions, pieces.loss]).toEqual([one.stepsDone, one.epoch, one.positions, one.loss]);
      expect(await fingerprint(b)).toEqual(await fingerprint(a));
      // Each epoch's plan is taken whole, then the next one is planned (1-based batch numbers).
      const firstEpoch = seen.filter((s) => s.epoch === 1);
      expect(firstEpoch.map((s) => s.batch)).toEqual(firstEpoch.map((_, i) => i + 1));
      expect(firstEpoch.length).toBe(firstEpoch[0]!.batches);
      expect(one.epoch).toBeGreaterThan(1);
    } finally {
      [one, pieces].forEach((r) => r.dispose());
      [a, b].forEach((m) => m.dispose());
    }
  });

  it('stops when cancelled, and endEpoch makes the next step plan a new epoch', async () => {
    const model = tinyModel();
    const run = new TrainingRun(model, data, options);
    try {
      let asked = 0;
      expect(await run.steps(10, undefined, () => asked++ >= 2)).toBe(2);
      run.endEpoch();
      const next = await run.step();
      expect([next.epoch, next.batch, next.step]).toEqual([2, 1, 3]);
    } finally {
      run.dispose();
      model.dispose();
    }
  });

  it('leaves a given optimizer to the caller, and a reset one runs at the new rate', async () => {
    const model = tinyModel();
    const given = createOptimizer(model, { learningRate: 0.02 });
    const run = new TrainingRun(model, data, { ...options, optimizer: given });
    try {
      expect(run.learningRate).toBe(0.02);
      await run.step();
      run.resetOptimizer(0.005);
      expect([run.learningRate, run.optimizer === given]).toEqual([0.005, false]);
      run.dispose();
      // Still usable: the run disposed only its own.
      await expect(new TrainingRun(model, data, { ...options, optimizer: given }).step()).resolves.toBeDefined();
    } finally {
      given.dispose();
      model.dispose();
    }
  });

  it('says so when no sequence can be trained on', async () => {
    const model = tinyModel();
    const run = new TrainingRun(model, { ...data, train: [{ user: 'u', items: Int32Array.from([1]) }] }, options);
    try {
      await expect(run.step()).rejects.toThrow(ConfigError);
    } finally {
      run.dispose();
      model.dispose();
    }
  });

  it('leaks no tensors: step, steps, resetOptimizer and dispose', async () => {
    const model = tinyModel();
    try {
      const lifecycle = async (): Promise<void> => {
        const run = new TrainingRun(model, data, options);
        try {
          await run.step();
          await run.steps(2);
          run.resetOptimizer(0.001);
          await run.steps(2);
        } finally {
          run.dispose();
        }
      };
      await lifecycle(); // first use may create lazily cached tensors
      const before = tf.memory().numTensors;
      await lifecycle();
      expect(tf.memory().numTensors).toBe(before);
      // And within a run: a step after the optimizer's state exists adds nothing.
      const run = new TrainingRun(model, data, options);
      await run.step();
      const during = tf.memory().numTensors;
      await run.steps(3);
      expect(tf.memory().numTensors).toBe(during);
      run.dispose();
    } finally {
      model.dispose();
    }
  });
});

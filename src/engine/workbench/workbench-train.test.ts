/**
 * The demo's trainer steps through the model's one training loop (TrainingRun). Its numbers
 * are pinned from its own loop before it did: same seed, same losses and weights, stopped
 * and resumed across an epoch boundary.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHafModel } from '../../model/create.ts';
import { HafRecommender } from '../../model/recommender.ts';
import { fingerprint, round, TINY, tinyText } from '../../model/test-fixtures.ts';
import { tinyWorkbenchData } from './test-fixtures.ts';
import { WorkbenchTrainer } from './workbench-train.ts';

const data = tinyWorkbenchData();
const { catalog, train } = data.dataset;
const text = tinyText(catalog);

describe('WorkbenchTrainer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('keeps its numbers: steps across an epoch boundary, stopped and resumed', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train, seed: 3 });
    const handle = { model, recommender: new HafRecommender(model, catalog, { ownsModel: false }), features: [text], source: 'scratch' as const };
    const trainer = new WorkbenchTrainer(handle, data, { steps: 0, batchPositions: 16, negatives: 4, learningRate: 0.01, validEvery: 100, validUsers: 0 });
    try {
      const losses: number[] = [];
      const onProgress = (p: { values?: Readonly<Record<string, number>> }): void => void losses.push(round(p.values!.loss!));
      const first = await trainer.run(5, onProgress, () => false);
      let calls = 0;
      const second = await trainer.run(5, onProgress, () => calls++ >= 3);
      expect(losses).toEqual([1.961618, 2.298366, 1.728135, 2.014669, 1.915296, 1.715882, 1.722807, 1.412051]);
      expect([first.step, first.stopped, second.step, second.stopped, trainer.epoch]).toEqual([5, false, 8, true, 2]);
      expect(await fingerprint(model)).toEqual([68.37799, 231.9357]);
    } finally {
      trainer.dispose();
      handle.recommender.dispose();
      model.dispose();
    }
  });
});

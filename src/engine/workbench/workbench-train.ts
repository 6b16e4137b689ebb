import * as tf from '@tensorflow/tfjs';
import type { Sequence } from '../../catalog/types.ts';
import { evaluate } from '../../eval/evaluate.ts';
import { createRng, type Rng } from '../../model/rng.ts';
import { createOptimizer, planBatches, trainStep, type TrainData } from '../../model/trainer.ts';
import type { WorkbenchData } from './workbench-jobs.ts';
import type { HafHandle } from './workbench-haf.ts';
import type { JobProgress, TrainOptions, TrainSummary } from './workbench-protocol.ts';

/**
 * Trains a HAF model in the worker step by step. The optimizer state, the seeded batch plan
 * and its cursor live here, so stopping and resuming continue the same run exactly.
 */
export class WorkbenchTrainer {
  private readonly optimizer: tf.Optimizer;
  private readonly rng: Rng;
  private readonly trainData: TrainData;
  private plan: Sequence[][] = [];
  private cursor = 0;
  step = 0;
  epoch = 0;

  constructor(readonly handle: HafHandle, private readonly data: WorkbenchData, readonly options: TrainOptions, seed = 42) {
    this.optimizer = createOptimizer(handle.model, { learningRate: options.learningRate });
    this.rng = createRng(seed);
    const { catalog } = data.dataset;
    this.trainData = { train: data.dataset.train, domainItems: catalog.domainItems, domainOf: catalog.domainOf };
  }

  async run(steps: number, onProgress: (p: JobProgress) => void, cancelled: () => boolean): Promise<Omit<TrainSummary, 'backend'>> {
    const started = performance.now();
    let loss = NaN;
    let valid: number | undefined;
    let positions = 0;
    const end = this.step + steps;
    while (this.step < end && !cancelled()) {
      if (this.cursor >= this.plan.length) this.nextEpoch();
      const batch = this.plan[this.cursor++]!;
      const result = await trainStep(this.handle.model, this.optimizer, batch.map((s) => ({ history: s.items })), this.trainData,
        { negatives: this.options.negatives, weightDecay: 0 }, this.rng);
      this.step++;
      loss = result.loss;
      positions += result.positions;
      const seconds = (performance.now() - started) / 1000;
      const values: Record<string, number> = { step: this.step, epoch: this.epoch, loss, positionsPerSecond: positions / seconds };
      const due = this.step % this.options.validEvery === 0 || this.step === end;
      if (due && this.options.validUsers > 0) values.valid = valid = await this.validate();
      onProgress({ stage: `Training step ${this.step} (epoch ${this.epoch})`, done: steps - (end - this.step), total: steps, values });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.handle.recommender.invalidate();
    return { step: this.step, loss, ...(valid === undefined ? {} : { valid }), stopped: this.step < end, seconds: (performance.now() - started) / 1000 };
  }

  /** Sampled NDCG@10 on the first validUsers shoppers of the valid split (the protocol's code). */
  async validate(): Promise<number> {
    this.handle.recommender.invalidate();
    const cases = this.data.dataset.valid.slice(0, this.options.validUsers);
    const report = await evaluate(this.handle.recommender, this.data.dataset.catalog, cases, { full: false, split: 'valid' });
    return report.sampled.overall!['NDCG@10'];
  }

  private nextEpoch(): void {
    this.epoch++;
    this.plan = planBatches(this.data.dataset.train, this.handle.model.config.maxLength, this.options.batchPositions, this.rng);
    this.cursor = 0;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

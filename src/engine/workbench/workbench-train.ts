import { evaluate } from '../../eval/evaluate.ts';
import { TrainingRun, type RunStep } from '../../model/training-run.ts';
import type { WorkbenchData } from './workbench-data.ts';
import type { HafHandle } from './workbench-haf.ts';
import type { JobProgress, TrainOptions, TrainSummary } from './workbench-protocol.ts';

/**
 * Trains a HAF model in the worker step by step, through the model's one training loop
 * (TrainingRun: optimizer state, seeded batch plan and cursor), so stopping and resuming
 * continue the same run exactly. Adds the demo's progress and its validation every
 * `validEvery` steps.
 */
export class WorkbenchTrainer {
  private readonly training: TrainingRun;

  constructor(readonly handle: HafHandle, private readonly data: WorkbenchData, readonly options: TrainOptions, seed = 42) {
    const { catalog, train } = data.dataset;
    const trainData = { train, domainItems: catalog.domainItems, domainOf: catalog.domainOf };
    const { batchPositions, negatives, learningRate } = options;
    this.training = new TrainingRun(handle.model, trainData, { seed, learningRate, batchPositions, negatives, weightDecay: 0 });
  }

  /** Steps taken over every call. */
  get step(): number {
    return this.training.stepsDone;
  }

  /** Epochs begun. */
  get epoch(): number {
    return this.training.epoch;
  }

  async run(steps: number, onProgress: (p: JobProgress) => void, cancelled: () => boolean): Promise<Omit<TrainSummary, 'backend'>> {
    const started = performance.now();
    const positionsBefore = this.training.positions;
    const end = this.step + steps;
    let loss = NaN;
    let valid: number | undefined;
    const onStep = async (s: RunStep): Promise<void> => {
      loss = s.loss;
      const seconds = (performance.now() - started) / 1000;
      const values: Record<string, number> = { step: s.step, epoch: s.epoch, loss, positionsPerSecond: (this.training.positions - positionsBefore) / seconds };
      const due = s.step % this.options.validEvery === 0 || s.step === end;
      if (due && this.options.validUsers > 0) values.valid = valid = await this.validate();
      onProgress({ stage: `Training step ${s.step} (epoch ${s.epoch})`, done: steps - (end - s.step), total: steps, values });
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await this.training.steps(steps, onStep, cancelled);
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

  dispose(): void {
    this.training.dispose();
  }
}

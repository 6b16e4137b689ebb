/**
 * The one training loop: a resumable run over seeded, length-bucketed batch plans. It holds
 * the model, the optimizer, the seeded generator, the epoch's batch plan and its cursor, and
 * advances one batch at a time, planning the next epoch when the plan runs out. The CLI's
 * `train` (trainer.ts: epochs, validation, early stopping) and the demo's WorkbenchTrainer
 * (N steps, stop, resume exactly, validation every few steps) both step through it, so the
 * same seed gives the same batches, negatives, dropout and weights in either.
 */
import type { Sequence } from '../catalog/types.ts';
import { ConfigError } from './errors.ts';
import type { HafModel } from './model.ts';
import { createRng, shuffle, type Rng } from './rng.ts';
import type { HafAdam } from './sparse-adam.ts';
import { createOptimizer, trainStep, type StepOptions, type TrainData } from './train-step.ts';

export interface TrainingRunOptions extends StepOptions {
  /** Target queries (positions) per batch. */
  readonly batchPositions: number;
  /** Seed of the generator behind the batch plans, negatives and dropout. */
  readonly seed: number;
  readonly learningRate: number;
  /** Row-sparse Adam for the item ID table (trainer.ts's TrainOptions). */
  readonly sparseItemAdam?: boolean;
  /** Continue with this optimizer and its state (its rate wins); the caller owns and disposes it. */
  readonly optimizer?: HafAdam;
}

/** One step taken: the run's counters after it and the batch's loss and query positions. */
export interface RunStep {
  readonly step: number;
  readonly epoch: number;
  /** The batch's place in its epoch's plan (1-based) and the plan's length. */
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly positions: number;
}

/** Sequences grouped into batches of similar length (less padding), in a seeded order. */
export function planBatches(train: readonly Sequence[], maxLength: number, positions: number, rng: Rng): Sequence[][] {
  const usable = train.filter((s) => s.items.length >= 2);
  const order = shuffle([...usable], rng);
  const batches: Sequence[][] = [];
  const chunk = positions * 64;
  let start = 0;
  while (start < order.length) {
    let end = start;
    let count = 0;
    while (end < order.length && count < chunk) count += Math.min(order[end++]!.items.length - 1, maxLength);
    batches.push(...bucket(order.slice(start, end), maxLength, positions));
    start = end;
  }
  return shuffle(batches, rng);
}

/** One chunk sorted by length and cut into batches of about `positions` queries. */
function bucket(chunk: Sequence[], maxLength: number, positions: number): Sequence[][] {
  const batches: Sequence[][] = [];
  let current: Sequence[] = [];
  let used = 0;
  for (const s of chunk.sort((a, b) => a.items.length - b.items.length)) {
    current.push(s);
    used += Math.min(s.items.length - 1, maxLength);
    if (used >= positions) {
      batches.push(current);
      current = [];
      used = 0;
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export class TrainingRun {
  /** Steps taken, epochs begun, query positions trained on, and the last step's loss. */
  stepsDone = 0;
  epoch = 0;
  positions = 0;
  loss = NaN;
  private readonly rng: Rng;
  private plan: Sequence[][] = [];
  private cursor = 0;
  private current: HafAdam;

  constructor(readonly model: HafModel, readonly data: TrainData, private readonly options: TrainingRunOptions) {
    this.rng = createRng(options.seed);
    this.current = options.optimizer ?? createOptimizer(model, options);
  }

  get optimizer(): HafAdam {
    return this.current;
  }

  get learningRate(): number {
    return this.current.learningRate;
  }

  /** One batch: the next of this epoch's plan, or the first of a newly planned epoch. */
  async step(): Promise<RunStep> {
    if (this.cursor >= this.plan.length) this.nextEpoch();
    const batch = this.plan[this.cursor++]!;
    const sources = batch.map((s) => ({ history: s.items }));
    const { loss, positions } = await trainStep(this.model, this.current, sources, this.data, this.options, this.rng);
    this.stepsDone++;
    this.positions += positions;
    this.loss = loss;
    return { step: this.stepsDone, epoch: this.epoch, batch: this.cursor, batches: this.plan.length, loss, positions };
  }

  /**
   * Up to `n` steps, each awaited with `onStep`; `cancelled` is asked before each one.
   * Returns the steps taken.
   */
  async steps(n: number, onStep?: (step: RunStep) => unknown, cancelled: () => boolean = () => false): Promise<number> {
    let taken = 0;
    while (taken < n && !cancelled()) {
      const step = await this.step();
      taken++;
      await onStep?.(step);
    }
    return taken;
  }

  /** Ends the epoch under way: the next step plans a new one (a batch cap per epoch, a time box). */
  endEpoch(): void {
    this.cursor = this.plan.length;
  }

  /** Continues with a fresh optimizer of the run's own at `learningRate` (a plateau cut). */
  resetOptimizer(learningRate: number): void {
    this.disposeOptimizer();
    this.current = createOptimizer(this.model, { ...this.options, learningRate });
  }

  /** Disposes the optimizer if it is the run's own; the model and a given optimizer are the caller's. */
  dispose(): void {
    this.disposeOptimizer();
  }

  private disposeOptimizer(): void {
    if (this.current !== this.options.optimizer) this.current.dispose();
  }

  private nextEpoch(): void {
    this.plan = planBatches(this.data.train, this.model.config.maxLength, this.options.batchPositions, this.rng);
    if (this.plan.length === 0) throw new ConfigError('nothing to train on: no training sequence has two items or more');
    this.epoch++;
    this.cursor = 0;
  }
}

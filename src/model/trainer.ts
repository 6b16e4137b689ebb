/**
 * The CLI's training: epochs of the one training loop (training-run.ts: Adam on the batch
 * loss, length-bucketed batches, seeded shuffling, negatives and dropout), and early stopping
 * on a validation score the caller supplies after each epoch (the best checkpoint, chosen on
 * that score only, is restored at the end), optionally with the learning rate cut on a
 * plateau of that score.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from './errors.ts';
import type { HafModel } from './model.ts';
import type { HafAdam } from './sparse-adam.ts';
import type { StepOptions, TrainData } from './train-step.ts';
import { TrainingRun } from './training-run.ts';

export type { TrainData } from './train-step.ts';

export interface TrainOptions extends StepOptions {
  readonly epochs: number;
  /** Target queries (positions) per batch. */
  readonly batchPositions: number;
  /** Uniform negatives per domain per batch, or 'full' for the whole domain. */
  readonly negatives: number | 'full';
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly seed: number;
  /** Epochs without a better validation score before stopping. */
  readonly patience: number;
  /**
   * 'plateau': after an epoch that does not beat the best validation score, go back to the
   * best checkpoint with a fresh Adam state and multiply the learning rate by `lrDecay`
   * (the manual "continue from the best weights at half the rate" runs, automated).
   * Needs `validate`; 'constant' keeps one rate throughout.
   */
  readonly lrSchedule?: LrSchedule;
  /** Factor applied to the learning rate on each plateau (default 0.5). */
  readonly lrDecay?: number;
  /**
   * Row-sparse ("lazy") Adam for the item ID table: each step updates only the rows the batch
   * touched (PyTorch SparseAdam, TF LazyAdam). Untouched rows keep their moments undecayed and
   * do not move, unlike dense Adam; all other variables use dense Adam either way.
   */
  readonly sparseItemAdam?: boolean;
  /**
   * Weight of distillation from the co-occurrence teacher (distill-teacher.ts): each query's
   * target becomes (1 - distill) one-hot + distill x the teacher's distribution, over the
   * same candidates (the teacher's items join them); at 1 a query the teacher knows nothing
   * about keeps its one-hot target. 0 or unset: off. Training only: the served model and its
   * scoring are unchanged. Batches must hold `data.train` sequences: the teacher leaves each
   * one's own transitions out, which assumes they were counted.
   */
  readonly distill?: number;
  /**
   * ID dropout (DropoutNet, Volkovs et al. 2017): each batch describes this share of its items
   * with content features only, as a product new to the weights is described when served,
   * so that the content path learns to stand alone and the ID rows cannot carry everything
   * (docs/model.md, "ID dropout"). 0 or unset: off.
   */
  readonly idDropout?: number;
  /** Stop an epoch after this many batches (smoke runs, benchmarks). */
  readonly maxBatchesPerEpoch?: number;
  /**
   * Time box in seconds for the whole call: the epoch under way stops after the batch that
   * crosses it, is validated as usual, and no further epoch starts (settings search slices).
   * The first epoch always trains at least one batch. Measured by `clock`.
   */
  readonly maxSeconds?: number;
  /**
   * Validation score of the weights as they are now (epoch 0): they are the best checkpoint
   * until an epoch beats it, so a continued run never ends worse on validation than it started.
   */
  readonly initialValid?: number;
  /**
   * Seconds on a monotonic clock for `maxSeconds` (default: wall clock). The settings search
   * passes the process's CPU time, so that candidates get equal compute on a shared machine.
   */
  readonly clock?: () => number;
  /**
   * Continue with this optimizer and its Adam state (a resumed settings-search slice); its
   * learning rate wins over `learningRate`. The caller owns and disposes it; a plateau cut
   * switches to a fresh optimizer of the trainer's own.
   */
  readonly optimizer?: HafAdam;
  /** Validation score (higher is better, e.g. NDCG@10 on valid); none = keep the last epoch. */
  readonly validate?: () => Promise<number>;
  readonly onProgress?: (event: TrainProgress) => void;
}

const wallSeconds = (): number => performance.now() / 1000;

export const LR_SCHEDULES = ['constant', 'plateau'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export type TrainProgress =
  | { readonly status: 'batch'; readonly epoch: number; readonly batch: number; readonly batches: number; readonly loss: number; readonly positionsPerSecond: number }
  | {
      readonly status: 'epoch';
      readonly epoch: number;
      readonly loss: number;
      readonly seconds: number;
      readonly positions: number;
      readonly learningRate: number;
      readonly valid?: number;
      readonly best: boolean;
    };

export interface TrainResult {
  readonly epochs: number;
  /** The epoch whose weights were kept; 0 = the starting weights (`initialValid` never beaten). */
  readonly bestEpoch: number;
  readonly bestValid?: number;
  readonly history: readonly { epoch: number; loss: number; valid?: number; seconds: number; positions: number; learningRate: number }[];
}

export const DEFAULT_TRAIN: TrainOptions = {
  epochs: 10,
  batchPositions: 2048,
  negatives: 4096,
  learningRate: 1e-3,
  weightDecay: 0,
  seed: 42,
  patience: 2,
  sparseItemAdam: false,
  lrSchedule: 'constant',
  lrDecay: 0.5,
};

type Best = { epoch: number; valid: number; weights: Map<string, tf.Tensor> };
type History = TrainResult['history'][number];

export async function train(model: HafModel, data: TrainData, partial: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const options = { ...DEFAULT_TRAIN, ...partial };
  if (options.lrSchedule === 'plateau' && !options.validate) throw new ConfigError("lrSchedule 'plateau' needs a validate function (it follows the validation score)");
  const run = new TrainingRun(model, data, options);
  const history: History[] = [];
  let best: Best | undefined = options.initialValid === undefined ? undefined : { epoch: 0, valid: options.initialValid, weights: snapshot(model) };
  const clock = options.clock ?? wallSeconds;
  const deadline = clock() + (options.maxSeconds ?? Infinity);
  const pastDeadline = (): boolean => clock() >= deadline;
  try {
    for (let epoch = 1; epoch <= options.epochs && (epoch === 1 || !pastDeadline()); epoch++) {
      const learningRate = run.learningRate;
      const result = await runEpoch(run, options, epoch, pastDeadline);
      const valid = options.validate ? await options.validate() : undefined;
      const improved = valid !== undefined && (!best || valid > best.valid);
      if (improved) {
        if (best) tf.dispose([...best.weights.values()]);
        best = { epoch, valid, weights: snapshot(model) };
      }
      history.push({ epoch, loss: result.loss, seconds: result.seconds, positions: result.positions, learningRate, ...(valid === undefined ? {} : { valid }) });
      options.onProgress?.({ status: 'epoch', epoch, ...result, learningRate, ...(valid === undefined ? {} : { valid }), best: improved });
      if (best && epoch - best.epoch >= options.patience) break;
      if (best && !improved && options.lrSchedule === 'plateau') cutRate(run, best, options.lrDecay ?? 0.5);
    }
    if (best) restore(model, best.weights);
  } finally {
    if (best) tf.dispose([...best.weights.values()]);
    run.dispose();
  }
  return { epochs: history.length, bestEpoch: best?.epoch ?? history.length, ...(best ? { bestValid: best.valid } : {}), history };
}

/** A plateau: back to the best checkpoint, with a fresh Adam state at `decay` times the rate. */
function cutRate(run: TrainingRun, best: Best, decay: number): void {
  restore(run.model, best.weights);
  run.resetOptimizer(run.learningRate * decay);
}

/** One epoch of the run: its whole plan, or up to `maxBatchesPerEpoch` batches, or until the time box. */
async function runEpoch(
  run: TrainingRun,
  options: TrainOptions,
  epoch: number,
  pastDeadline: () => boolean,
): Promise<{ loss: number; seconds: number; positions: number }> {
  const cap = options.maxBatchesPerEpoch ?? Infinity;
  const started = performance.now();
  let lossSum = 0;
  let positions = 0;
  for (let b = 0; b < cap; b++) {
    const step = await run.step();
    lossSum += step.loss * step.positions;
    positions += step.positions;
    const seconds = (performance.now() - started) / 1000;
    const batches = Math.min(step.batches, cap);
    options.onProgress?.({ status: 'batch', epoch, batch: step.batch, batches, loss: step.loss, positionsPerSecond: positions / seconds });
    if (pastDeadline() || step.batch >= batches) break;
  }
  run.endEpoch();
  return { loss: lossSum / Math.max(1, positions), seconds: (performance.now() - started) / 1000, positions };
}

function snapshot(model: HafModel): Map<string, tf.Tensor> {
  return new Map([...model.params].map(([name, v]) => [name, tf.clone(v)]));
}

function restore(model: HafModel, weights: Map<string, tf.Tensor>): void {
  for (const [name, v] of model.params) v.assign(weights.get(name)!);
}

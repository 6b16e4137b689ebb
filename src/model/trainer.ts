/**
 * Training loop: Adam on the batch loss, length-bucketed batches, seeded shuffling,
 * negatives and dropout, and early stopping on a validation score the caller supplies
 * (the best checkpoint, chosen on that score only, is restored at the end), optionally
 * with the learning rate cut on a plateau of that score.
 */
import * as tf from '@tensorflow/tfjs';
import type { Sequence } from '../catalog/types.ts';
import { buildBatch, type BatchSource } from './batch.ts';
import { localTargets, teacherFor, withTeacherItems } from './distill-teacher.ts';
import { batchLoss, candidatesFor } from './loss.ts';
import type { HafModel } from './model.ts';
import { createRng, shuffle, type Rng } from './rng.ts';
import { HafAdam } from './sparse-adam.ts';
import { trimWebGpuBuffers } from './webgpu-memory.ts';
import { ConfigError } from './errors.ts';

export interface TrainOptions {
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

export interface TrainData {
  readonly train: readonly Sequence[];
  readonly domainItems: readonly Int32Array[];
  readonly domainOf: Int32Array;
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
    const group = order.slice(start, end).sort((a, b) => a.items.length - b.items.length);
    let current: Sequence[] = [];
    let used = 0;
    for (const s of group) {
      current.push(s);
      used += Math.min(s.items.length - 1, maxLength);
      if (used >= positions) {
        batches.push(current);
        current = [];
        used = 0;
      }
    }
    if (current.length > 0) batches.push(current);
    start = end;
  }
  return shuffle(batches, rng);
}

function sampleNegatives(domainItems: readonly Int32Array[], count: number | 'full', rng: Rng): Int32Array[] {
  return domainItems.map((items) => {
    if (count === 'full' || count >= items.length) return items;
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = items[rng.int(items.length)] as number;
    return out;
  });
}

/**
 * The trainer's optimizer: Adam (beta2 0.98) with the dense variables updated as one flat
 * vector, and optionally the item ID table row-sparsely (see sparse-adam.ts).
 */
export function createOptimizer(model: HafModel, options: Pick<TrainOptions, 'learningRate' | 'sparseItemAdam'>): HafAdam {
  return new HafAdam({ learningRate: options.learningRate, beta1: 0.9, beta2: 0.98, rowSparse: options.sparseItemAdam ? [model.tree.item.id] : [] });
}

/** One optimizer step on `sources`; returns the loss. Exposed for benchmarks and parity tests. */
export async function trainStep(
  model: HafModel,
  optimizer: tf.Optimizer,
  sources: readonly BatchSource[],
  data: TrainData,
  options: Pick<TrainOptions, 'negatives' | 'weightDecay' | 'distill' | 'idDropout'>,
  rng: Rng,
): Promise<{ loss: number; positions: number }> {
  const sampled = sampleNegatives(data.domainItems, options.negatives, rng);
  const shape = { domainOf: data.domainOf, domains: model.shape.domains, maxLength: model.config.maxLength, requireOwnView: model.config.singleDomain };
  const teacher = options.distill ? teacherFor(data.train, data.domainOf.length - 1).targets(sources.map((s) => s.history), shape) : undefined;
  const negatives = teacher && options.negatives !== 'full' ? withTeacherItems(sampled, teacher, data.domainOf) : sampled;
  const batch = buildBatch(sources, { ...shape, extraItems: concat(negatives) });
  if (batch.queryDomain.length === 0) return { loss: 0, positions: 0 };
  const groups = candidatesFor(batch, model.shape.domains, negatives);
  const distill = teacher ? localTargets(batch.items, batch.queryTarget, teacher, options.distill!) : undefined;
  const id = model.tree.item.id;
  // The loss reaches the ID table only through the batch's items (item tower, weight decay).
  // (tf.Optimizer overrides instanceof with duck typing, hence the method check.)
  if ('isRowSparse' in optimizer && (optimizer as HafAdam).isRowSparse(id)) (optimizer as HafAdam).touchRows(id, batch.items);
  const run = { training: true, seed: () => rng.seed() };
  const hideId = options.idDropout ? Float32Array.from(batch.items, () => (rng.next() < options.idDropout! ? 1 : 0)) : undefined;
  const cost = optimizer.minimize(() => batchLoss(model, batch, groups, run, options.weightDecay, distill, hideId), true, model.trainable());
  const loss = (await cost!.data())[0] as number;
  cost!.dispose();
  trimWebGpuBuffers();
  return { loss, positions: batch.queryDomain.length };
}

function concat(parts: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function train(model: HafModel, data: TrainData, partial: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const options = { ...DEFAULT_TRAIN, ...partial };
  if (options.lrSchedule === 'plateau' && !options.validate) throw new ConfigError("lrSchedule 'plateau' needs a validate function (it follows the validation score)");
  const rng = createRng(options.seed);
  let learningRate = options.optimizer?.learningRate ?? options.learningRate;
  let optimizer = options.optimizer ?? createOptimizer(model, { ...options, learningRate });
  const owned = (o: HafAdam): boolean => o !== options.optimizer;
  const history: TrainResult['history'][number][] = [];
  let best: { epoch: number; valid: number; weights: Map<string, tf.Tensor> } | undefined =
    options.initialValid === undefined ? undefined : { epoch: 0, valid: options.initialValid, weights: snapshot(model) };
  const clock = options.clock ?? wallSeconds;
  const deadline = clock() + (options.maxSeconds ?? Infinity);
  const pastDeadline = (): boolean => clock() >= deadline;
  try {
    for (let epoch = 1; epoch <= options.epochs && (epoch === 1 || !pastDeadline()); epoch++) {
      const result = await runEpoch(model, optimizer, data, options, rng, epoch, pastDeadline);
      const valid = options.validate ? await options.validate() : undefined;
      const improved = valid !== undefined && (!best || valid > best.valid);
      if (improved) {
        if (best) tf.dispose([...best.weights.values()]);
        best = { epoch, valid, weights: snapshot(model) };
      }
      history.push({ epoch, loss: result.loss, seconds: result.seconds, positions: result.positions, learningRate, ...(valid === undefined ? {} : { valid }) });
      options.onProgress?.({ status: 'epoch', epoch, ...result, learningRate, ...(valid === undefined ? {} : { valid }), best: improved });
      if (best && epoch - best.epoch >= options.patience) break;
      if (best && !improved && options.lrSchedule === 'plateau') {
        restore(model, best.weights);
        if (owned(optimizer)) optimizer.dispose();
        learningRate *= options.lrDecay ?? 0.5;
        optimizer = createOptimizer(model, { ...options, learningRate });
      }
    }
    if (best) restore(model, best.weights);
  } finally {
    if (best) tf.dispose([...best.weights.values()]);
    if (owned(optimizer)) optimizer.dispose();
  }
  return {
    epochs: history.length,
    bestEpoch: best?.epoch ?? history.length,
    ...(best ? { bestValid: best.valid } : {}),
    history,
  };
}

async function runEpoch(
  model: HafModel,
  optimizer: tf.Optimizer,
  data: TrainData,
  options: TrainOptions,
  rng: Rng,
  epoch: number,
  pastDeadline: () => boolean = () => false,
): Promise<{ loss: number; seconds: number; positions: number }> {
  const plan = planBatches(data.train, model.config.maxLength, options.batchPositions, rng);
  const batches = Math.min(plan.length, options.maxBatchesPerEpoch ?? Infinity);
  const started = performance.now();
  let lossSum = 0;
  let positions = 0;
  for (let b = 0; b < batches; b++) {
    const sources = plan[b]!.map((s) => ({ history: s.items }));
    const step = await trainStep(model, optimizer, sources, data, options, rng);
    lossSum += step.loss * step.positions;
    positions += step.positions;
    const seconds = (performance.now() - started) / 1000;
    options.onProgress?.({ status: 'batch', epoch, batch: b + 1, batches, loss: step.loss, positionsPerSecond: positions / seconds });
    if (pastDeadline()) break;
  }
  return { loss: lossSum / Math.max(1, positions), seconds: (performance.now() - started) / 1000, positions };
}

function snapshot(model: HafModel): Map<string, tf.Tensor> {
  return new Map([...model.params].map(([name, v]) => [name, tf.clone(v)]));
}

function restore(model: HafModel, weights: Map<string, tf.Tensor>): void {
  for (const [name, v] of model.params) v.assign(weights.get(name)!);
}

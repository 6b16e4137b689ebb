/**
 * One optimizer step of HAF training: negatives sampled, the batch built, the loss minimized
 * (with the distillation teacher's targets and ID dropout when asked for). The optimizer the
 * trainer uses is made here too. Steps are taken in order by training-run.ts, the one loop.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Sequence } from '../catalog/types.ts';
import { buildBatch, type BatchSource } from './batch.ts';
import { localTargets, teacherFor, withTeacherItems } from './distill-teacher.ts';
import { batchLoss, candidatesFor } from './loss.ts';
import type { HafModel } from './model.ts';
import type { Rng } from './rng.ts';
import { HafAdam } from './sparse-adam.ts';
import { trimWebGpuBuffers } from './webgpu-memory.ts';

export interface TrainData {
  readonly train: readonly Sequence[];
  readonly domainItems: readonly Int32Array[];
  readonly domainOf: Int32Array;
}

/** What shapes one step's loss (trainer.ts's TrainOptions documents each). */
export interface StepOptions {
  /** Uniform negatives per domain per batch, or 'full' for the whole domain. */
  readonly negatives: number | 'full';
  readonly weightDecay: number;
  /** Weight of distillation from the co-occurrence teacher; 0 or unset: off. */
  readonly distill?: number;
  /** Share of the batch's items described with content features only; 0 or unset: off. */
  readonly idDropout?: number;
}

/**
 * The trainer's optimizer: Adam (beta2 0.98) with the dense variables updated as one flat
 * vector, and optionally the item ID table row-sparsely (see sparse-adam.ts).
 */
export function createOptimizer(model: HafModel, options: { readonly learningRate: number; readonly sparseItemAdam?: boolean }): HafAdam {
  return new HafAdam({ learningRate: options.learningRate, beta1: 0.9, beta2: 0.98, rowSparse: options.sparseItemAdam ? [model.tree.item.id] : [] });
}

function sampleNegatives(domainItems: readonly Int32Array[], count: number | 'full', rng: Rng): Int32Array[] {
  return domainItems.map((items) => {
    if (count === 'full' || count >= items.length) return items;
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = items[rng.int(items.length)] as number;
    return out;
  });
}

/** One optimizer step on `sources`; returns the loss. Exposed for benchmarks and parity tests. */
export async function trainStep(
  model: HafModel,
  optimizer: tf.Optimizer,
  sources: readonly BatchSource[],
  data: TrainData,
  options: StepOptions,
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
  // cost: [] scalar, the batch's mean loss; disposed once read.
  const cost = optimizer.minimize(() => batchLoss(model, batch, groups, run, options.weightDecay, distill, hideId), true, model.trainable());
  try {
    return { loss: (await cost!.data())[0] as number, positions: batch.queryDomain.length };
  } finally {
    cost!.dispose();
    trimWebGpuBuffers();
  }
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

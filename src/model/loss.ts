/**
 * Next-item loss: softmax cross-entropy per query over candidates of the target's domain
 * only (the true item, the batch's other targets of that domain, and uniform negatives
 * shared across the batch), or the whole domain when `negatives` is 'full'.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batch.ts';
import type { EncoderRun } from './encoder.ts';
import type { HafModel } from './model.ts';
import { gatherRows, softmaxCrossEntropySum } from './ops.ts';

/** Per target domain: which queries, which candidate rows of Batch.items, and each label. */
export interface DomainCandidates {
  readonly rows: Int32Array;
  readonly candidates: Int32Array;
  readonly labels: Int32Array;
}

/** Groups queries by target domain and finds each target among its domain's candidates. */
export function candidatesFor(batch: Batch, domains: number, negatives: readonly Int32Array[]): DomainCandidates[] {
  const local = new Map<number, number>();
  batch.items.forEach((item, i) => local.set(item, i));
  const out: DomainCandidates[] = [];
  for (let t = 0; t < domains; t++) {
    const rows: number[] = [];
    const column = new Map<number, number>();
    const candidates: number[] = [];
    const add = (item: number): number => {
      let c = column.get(item);
      if (c === undefined) {
        c = candidates.length;
        column.set(item, c);
        candidates.push(local.get(item) as number);
      }
      return c;
    };
    const labels: number[] = [];
    batch.queryDomain.forEach((d, q) => {
      if (d !== t) return;
      rows.push(q);
      labels.push(add(batch.queryTarget[q] as number));
    });
    for (const n of negatives[t] ?? []) add(n);
    out.push({ rows: Int32Array.from(rows), candidates: Int32Array.from(candidates), labels: Int32Array.from(labels) });
  }
  return out;
}

/**
 * Distillation's soft targets in the batch's local item numbers: entry e pulls query
 * `query[e]` toward item `column[e]` with `weight[e]` (the teacher's share times the
 * distillation weight). Every column must be among its query's domain candidates.
 */
export interface DistillTargets {
  readonly query: Int32Array;
  readonly column: Int32Array;
  /** Local number of the query's own target (its label). */
  readonly label: Int32Array;
  readonly weight: Float32Array;
}

/**
 * Cross-entropy toward the mix (1 - a) one-hot(label) + a teacher, over the same candidates,
 * minus the plain cross-entropy: lse - u.((1 - a) v_label + a sum_c w_c v_c) - (lse - u.v_label)
 * = a sum_c w_c u.(v_label - v_c). The softmax term is shared, so only these dots are new.
 */
export function distillSum(user: tf.Tensor2D, vectors: tf.Tensor2D, d: DistillTargets): tf.Scalar {
  const u = gatherRows(user, tf.tensor1d(d.query, 'int32'));
  const diff = tf.sub(gatherRows(vectors, tf.tensor1d(d.label, 'int32')), gatherRows(vectors, tf.tensor1d(d.column, 'int32')));
  return tf.sum(tf.mul(tf.sum(tf.mul(u, diff), 1), tf.tensor1d(d.weight)));
}

/**
 * Mean loss over the batch's queries (+ L2 on the ID rows it touched, + distillation); call
 * inside tidy. `hideId` [batch.items.length]: 1 where an item is seen by its content only
 * in this batch (ID dropout), in the history, as a target and as a negative alike.
 */
export function batchLoss(
  model: HafModel,
  batch: Batch,
  groups: readonly DomainCandidates[],
  run: EncoderRun,
  weightDecay: number,
  distill?: DistillTargets,
  hideId?: Float32Array,
): tf.Scalar {
  const items = tf.tensor1d(batch.items, 'int32');
  const vectors = model.itemVectors(items, hideId && tf.tensor1d(hideId)).vectors; // [U, d]
  const { user } = model.forward(batch, vectors, run); // [N, d]
  const terms: tf.Scalar[] = [];
  for (const g of groups) {
    if (g.rows.length === 0) continue;
    const u = gatherRows(user, tf.tensor1d(g.rows, 'int32'));
    const v = gatherRows(vectors, tf.tensor1d(g.candidates, 'int32'));
    terms.push(softmaxCrossEntropySum(u, v, tf.tensor1d(g.labels, 'int32')));
  }
  if (distill && distill.query.length > 0) terms.push(distillSum(user, vectors, distill));
  const n = Math.max(1, batch.queryDomain.length);
  let loss = tf.div(terms.length > 0 ? tf.addN(terms) : tf.scalar(0), n) as tf.Scalar;
  if (weightDecay > 0) {
    const rows = gatherRows(model.tree.item.id as tf.Tensor2D, items);
    loss = tf.add(loss, tf.mul(tf.sum(tf.square(rows)), weightDecay / batch.items.length)) as tf.Scalar;
  }
  return loss;
}

/**
 * Level 3: domain attention. For target domain t, b_k = q_t . tanh(W_b h_k + c_b) + bias[t, k]
 * over the views that are not empty (own domain, mixed, each other domain); beta = softmax(b);
 * u_t = sum_k beta_k h_k. The per-(target, view) bias is this project's addition: a learned
 * prior on how much each view feeds each target, on top of the content-dependent score.
 */
import * as tf from '@tensorflow/tfjs';
import { dense, gatherRows, rowDot, tanh, weightedSum } from './ops.ts';
import type { DomainAttentionParams } from './param-tree.ts';

const NEG = -1e9;

export interface FusionOutput {
  readonly user: tf.Tensor2D; // [N, d]
  readonly beta: tf.Tensor2D; // [N, V]
}

/** views [N, V, d], mask [N, V] (1 = view has history), targetDomain int32 [N]. */
export function domainAttention(
  params: DomainAttentionParams,
  views: tf.Tensor3D,
  mask: tf.Tensor2D,
  targetDomain: tf.Tensor1D,
): FusionOutput {
  const h = tanh(dense(views, params.w as tf.Tensor2D, params.b as tf.Tensor1D)); // [N, V, a]
  const q = gatherRows(params.q as tf.Tensor2D, targetDomain); // [N, a]
  const prior = gatherRows(params.bias as tf.Tensor2D, targetDomain); // [N, V]
  const logits = tf.add(tf.add(rowDot(h as tf.Tensor3D, q), prior), tf.mul(tf.sub(1, mask), NEG)); // [N, V]
  const beta = tf.mul(tf.softmax(logits), mask) as tf.Tensor2D; // all-masked rows become 0
  const user = weightedSum(beta, views); // [N, d]
  return { user, beta };
}

/** Fixed selection of one view per query (ablations): one-hot over views [N, V]. */
export function selectView(views: tf.Tensor3D, choice: tf.Tensor2D): tf.Tensor2D {
  return weightedSum(choice, views); // [N, d]
}

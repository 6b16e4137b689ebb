/**
 * Level 1: modality attention per item. e_id = E[i], e_m = W_m f_m[i] + b_m for each content
 * modality m; a_m = q . tanh(W_a e_m + b_a) over the modalities the item HAS (absent ones
 * are masked out of the softmax, never zero vectors); v_i = sum_m alpha_m e_m.
 */
import * as tf from '@tensorflow/tfjs';
import type { HafConfig } from './config.ts';
import { dense, denseFrozenInput, gatherRows, takeRows } from './ops.ts';
import { param, type ParamMap } from './params.ts';

/** Frozen content of one modality on the device: vectors [size+1, e], present [size+1]. */
export interface ContentTensors {
  readonly name: string;
  readonly vectors: tf.Tensor2D;
  readonly present: tf.Tensor1D;
}

export interface ItemTowerInputs {
  readonly content: readonly ContentTensors[];
  /** [size+1] 1 where the item's ID embedding was trained (it occurred in training data). */
  readonly idKnown: tf.Tensor1D;
}

export interface ItemTowerOutput {
  readonly vectors: tf.Tensor2D; // [M, d]
  /** [M, 1 + modalities]: weight of id, then each content modality; null when ID-only. */
  readonly alpha: tf.Tensor2D | null;
}

const NEG = -1e9;

/** Item vectors for `items` (int32 [M]); call inside tf.tidy. */
export function itemTower(
  config: HafConfig,
  params: ParamMap,
  inputs: ItemTowerInputs,
  items: tf.Tensor1D,
): ItemTowerOutput {
  const eId = gatherRows(param(params, 'item.id') as tf.Tensor2D, items); // [M, d]
  if (config.idOnly || inputs.content.length === 0) return { vectors: eId, alpha: null };
  const parts: tf.Tensor2D[] = [eId];
  const masks: tf.Tensor1D[] = [];
  for (const c of inputs.content) {
    const f = takeRows(c.vectors, items) as tf.Tensor2D; // [M, e], frozen
    parts.push(denseFrozenInput(f, param(params, `item.proj.${c.name}.w`) as tf.Tensor2D, param(params, `item.proj.${c.name}.b`) as tf.Tensor1D));
    masks.push(takeRows(c.present, items));
  }
  const contentAny = tf.minimum(tf.addN(masks), 1); // [M]
  // An ID row counts when it was trained, or when nothing else describes the item.
  const idMask = tf.maximum(takeRows(inputs.idKnown, items), tf.sub(1, contentAny)); // [M]
  const mask = tf.stack([idMask, ...masks], 1) as tf.Tensor2D; // [M, P]
  const stacked = tf.stack(parts, 1) as tf.Tensor3D; // [M, P, d]
  let alpha: tf.Tensor2D;
  if (config.modalityAttention) {
    const h = tf.tanh(dense(stacked, param(params, 'item.att.w') as tf.Tensor2D, param(params, 'item.att.b') as tf.Tensor1D)); // [M, P, a]
    const logits = tf.sum(tf.mul(h, param(params, 'item.att.q')), 2); // [M, P]
    alpha = tf.softmax(tf.add(logits, tf.mul(tf.sub(1, mask), NEG))) as tf.Tensor2D;
  } else {
    alpha = tf.div(mask, tf.sum(mask, 1, true)) as tf.Tensor2D;
  }
  const vectors = tf.sum(tf.mul(tf.expandDims(alpha, 2), stacked), 1) as tf.Tensor2D; // [M, d]
  return { vectors, alpha };
}

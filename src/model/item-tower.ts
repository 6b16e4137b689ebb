/**
 * Level 1: modality attention per item. e_id = E[i], e_m = W_m f_m[i] + b_m for each content
 * modality m; a_m = q . tanh(W_a e_m + b_a) over the modalities the item HAS (absent ones
 * are masked out of the softmax, never zero vectors); v_i = sum_m alpha_m e_m, times
 * config.newItemScale for an item described by content alone because its ID row was never trained.
 */
import * as tf from '@tensorflow/tfjs';
import type { HafConfig } from './config.ts';
import { customOp } from './custom-op.ts';
import { dense, denseFrozenInput, gatherRows, matMul, takeRows, tanh } from './ops.ts';
import { ModelError } from './errors.ts';
import type { ItemTowerParams, Linear } from './param-tree.ts';

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
  /** Weight of the id, then of each content modality, per item ([M, 1 + modalities]); null when ID-only. */
  readonly alpha: tf.Tensor2D | null;
}

const NEG = -1e9;

/**
 * Item vectors for `items` (int32 [M]); call inside tf.tidy. `hideId` [M] (training's ID
 * dropout) is 1 where a row must be described as a new item would be: by its content alone.
 */
export function itemTower(
  config: HafConfig,
  params: ItemTowerParams,
  inputs: ItemTowerInputs,
  items: tf.Tensor1D,
  hideId?: tf.Tensor1D,
): ItemTowerOutput {
  const eId = gatherRows(params.id as tf.Tensor2D, items); // [M, d]
  if (config.idOnly || inputs.content.length === 0) return { vectors: eId, alpha: null };
  const parts: tf.Tensor2D[] = [eId];
  const masks: tf.Tensor1D[] = [];
  for (const c of inputs.content) {
    const f = takeRows(c.vectors, items) as tf.Tensor2D; // [M, e], frozen
    const proj = projection(params, c.name);
    parts.push(denseFrozenInput(f, proj.w as tf.Tensor2D, proj.b as tf.Tensor1D)); // [M, d]
    masks.push(takeRows(c.present, items));
  }
  const contentAny = tf.minimum(tf.addN(masks), 1); // [M]
  // An ID row counts when it was trained, or when nothing else describes the item.
  const known = takeRows(inputs.idKnown, items); // [M]
  const shown = hideId ? tf.mul(known, tf.sub(1, hideId)) : known; // [M]
  const idMask = tf.maximum(shown, tf.sub(1, contentAny)); // [M]
  const mask = tf.stack([idMask, ...masks]) as tf.Tensor2D; // [P, M]
  let alpha: tf.Tensor2D; // [M, P]
  // The layout has modality attention parameters exactly when the config attends over modalities.
  const att = params.att;
  if (att) {
    const w = att.w as tf.Tensor2D; // [d, a]
    const b = att.b as tf.Tensor1D; // [a]
    const q = tf.reshape(att.q, [-1, 1]) as tf.Tensor2D; // [a, 1]
    const scores = tf.stack(parts.map((e) => tf.reshape(matMul(tanh(dense(e, w, b)) as tf.Tensor2D, q), [-1]))); // [P, M]
    alpha = tf.softmax(tf.transpose(tf.add(scores, tf.mul(tf.sub(1, mask), NEG)))) as tf.Tensor2D;
  } else {
    alpha = tf.transpose(tf.div(mask, tf.sum(mask, 0, true))) as tf.Tensor2D;
  }
  const vectors = mixParts(tf.transpose(alpha) as tf.Tensor2D, parts); // [M, d]
  if (config.newItemScale === 1) return { vectors, alpha };
  // Only rows the weights have no trained row for: ID dropout's rows are trained ones, unscaled.
  const contentOnly = tf.mul(tf.sub(1, known), contentAny); // [M]
  const factor = tf.add(1, tf.mul(contentOnly, config.newItemScale - 1)); // [M]
  return { vectors: tf.mul(vectors, tf.expandDims(factor, 1)) as tf.Tensor2D, alpha };
}

function projection(params: ItemTowerParams, modality: string): Linear {
  const proj = params.proj[modality];
  if (!proj) throw new ModelError(`internal: the item tower has no projection for modality "${modality}"`);
  return proj;
}

/**
 * sum_p weights[p] * parts[p] per row (weights [P, M], parts P x [M, d]) with a hand-written
 * gradient. The modalities stay separate tensors: on wasm, stacking them into [M, P, d]
 * copies them in JS (Pack), its gradient slices each one out of a JS copy of the whole
 * stack (Unpack), and autograd of the weighted tf.sum fills a ones tensor in JS.
 */
function mixParts(weights: tf.Tensor2D, parts: readonly tf.Tensor2D[]): tf.Tensor2D {
  const count = parts.length;
  return customOp<tf.Tensor2D>((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [w, ...xs] = args.slice(0, -1) as tf.Tensor2D[];
    const ws = tf.unstack(w!).map((row) => tf.expandDims(row, 1)); // P x [M, 1]
    save([...ws, ...xs]);
    return {
      value: tf.addN(xs.map((x, p) => tf.mul(x, ws[p]!))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dw = tf.stack(saved.slice(count).map((x) => tf.sum(tf.mul(x, dy), 1))); // [P, M]
        return [dw, ...saved.slice(0, count).map((wp) => tf.mul(dy, wp))];
      },
    };
  }, weights, ...parts);
}

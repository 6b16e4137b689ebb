/**
 * Reasons for the picks of a `haf` bundle, from HAF's own attention (lazy chunk: tfjs). HAF's
 * last query attends over the history once per request; each pick is credited to the history
 * item with the most attention-weighted relevance to it, attention_p x max(0, v_pick . v_p)
 * (v = HAF's item vectors), or to the most attended item when no history item points its way.
 * The domain is the one whose history view HAF's domain attention weighed most.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import type { HafModel } from '../model/model.ts';
import type { Explanation } from '../model/recommender.ts';
import type { PickReason } from './explain.ts';

/** History positions (0 = oldest) of the attention's view items, in the order explain.ts lists them. */
export function viewPositions(history: Int32Array, catalog: Catalog, domain: number, maxLength: number, mixed: boolean): number[] {
  const out: number[] = [];
  for (let p = Math.max(0, history.length - maxLength); p < history.length; p++) {
    if (mixed || catalog.domainOf[history[p]!] === domain) out.push(p);
  }
  return out;
}

/** [picks.length][seen.length] dot products of HAF's item vectors. */
async function relevance(rows: ItemRows, seen: Int32Array, picks: Int32Array): Promise<Float32Array> {
  const dots = tf.tidy(() => {
    const v = rows(tf.tensor1d(Int32Array.from([...seen, ...picks]), 'int32')); // [n + k, d]
    const h = tf.slice(v, [0, 0], [seen.length, -1]); // [n, d]
    const p = tf.slice(v, [seen.length, 0], [picks.length, -1]); // [k, d]
    return tf.matMul(p, h, false, true); // [k, n]
  });
  try {
    return (await dots.data()) as Float32Array;
  } finally {
    dots.dispose();
  }
}

function topDomain(why: Explanation): Pick<PickReason, 'domain' | 'domainWeight'> {
  const top = Object.entries(why.views).filter(([name]) => name !== 'mixed').sort((a, b) => b[1] - a[1])[0];
  return top ? { domain: top[0], domainWeight: top[1] } : {};
}

/** HAF's item vectors of some items (inside tf.tidy): the recommender's table, or the model's item tower. */
export type ItemRows = (items: tf.Tensor1D) => tf.Tensor2D;

/** One reason per pick (undefined when the attention covers no history item). */
export async function attentionReasons(
  model: HafModel,
  catalog: Catalog,
  why: Explanation,
  history: Int32Array,
  domain: number,
  picks: Int32Array,
  rows: ItemRows = (items) => model.itemVectors(items).vectors,
): Promise<(PickReason | undefined)[]> {
  const positions = viewPositions(history, catalog, domain, model.config.maxLength, !model.config.singleDomain);
  const weights = why.positions.map((p) => p.weight);
  const n = Math.min(weights.length, positions.length);
  if (n === 0 || picks.length === 0) return Array.from(picks, () => undefined);
  const seen = Int32Array.from(positions.slice(0, n), (p) => history[p]!);
  const dots = await relevance(rows, seen, picks);
  const mostAttended = weights.slice(0, n).reduce((best, w, j) => (w > weights[best]! ? j : best), 0);
  return Array.from(picks, (_, i) => {
    let best = -1;
    let bestScore = 0;
    for (let j = 0; j < n; j++) {
      const s = weights[j]! * Math.max(0, dots[i * n + j]!);
      if (s > bestScore) [best, bestScore] = [j, s];
    }
    const j = best >= 0 ? best : mostAttended;
    return { position: positions[j]!, attention: weights[j]!, ...topDomain(why) };
  });
}

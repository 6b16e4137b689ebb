import type { Recommendation } from './recommender.ts';
import { moments, transformScores, type BlendTransform, type Moments } from './standardize.ts';
import { BestList } from './top-k.ts';

/** One part of a blend, ready to combine: its (transformed) scores, their moments and its weight. */
export interface BlendTerm extends Moments {
  readonly x: Float32Array;
  readonly weight: number;
}

/**
 * A part's whole-domain scores as a term: the scores themselves for 'z', their log1p values
 * for 'log-z', written into `buffer` when it is long enough (the returned x says which array
 * holds them, so a caller can keep it for the next call).
 */
export function denseTerm(scores: Float32Array, transform: BlendTransform, weight: number, buffer?: Float32Array): BlendTerm {
  const x = transformScores(scores, transform, buffer);
  return { x, weight, ...moments(x) };
}

/** Items combined per step: a chunk of scores that stays in the first-level cache. */
const CHUNK = 4096;

/**
 * topK of the blend's combined scores without building them: the items are combined a chunk
 * at a time (combineTerms) and offered to the list. Over a million items this is one read of each
 * term instead of a standardized copy of each, a combined array and a top-k pass over it.
 */
export function blendTopK(terms: readonly BlendTerm[], items: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): Recommendation[] {
  if (!(k >= 1)) return [];
  const list = new BestList(k, exclude);
  const chunk = new Float32Array(CHUNK);
  for (let start = 0; start < items.length; start += CHUNK) {
    const end = Math.min(items.length, start + CHUNK);
    combineTerms(terms, start, end, chunk);
    list.offer(chunk, items, start, end - start);
  }
  return list.best;
}

/**
 * The blend's arithmetic, the one place it is written: the combined scores of items
 * [start, end) into out[0, end - start): each term's float32 z, (x - mean) / std, times its
 * weight, added in term order into a float32 sum. Every path that blends (createBlend's
 * scores, blendTopK, the bundle's weight grid) calls this, so they rank alike to the bit.
 */
export function combineTerms(terms: readonly BlendTerm[], start: number, end: number, out: Float32Array): void {
  if (terms.length === 2) combineTwo(terms[0]!, terms[1]!, start, end, out);
  else combineAny(terms, start, end, out);
}

/** The common case (the model and the prior), with both terms' numbers in locals. */
function combineTwo(a: BlendTerm, b: BlendTerm, start: number, end: number, out: Float32Array): void {
  const { x: xa, weight: wa, mean: ma, std: sa } = a;
  const { x: xb, weight: wb, mean: mb, std: sb } = b;
  for (let i = start; i < end; i++) {
    const first = Math.fround(0 + wa * Math.fround((xa[i]! - ma) / sa));
    out[i - start] = first + wb * Math.fround((xb[i]! - mb) / sb);
  }
}

function combineAny(terms: readonly BlendTerm[], start: number, end: number, out: Float32Array): void {
  out.fill(0, 0, end - start);
  for (const { x, weight, mean, std } of terms) {
    for (let i = start; i < end; i++) out[i - start] = out[i - start]! + weight * Math.fround((x[i]! - mean) / std);
  }
}

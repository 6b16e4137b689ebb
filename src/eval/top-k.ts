import type { Recommendation } from './recommender.ts';

/**
 * The k highest-scoring items, best first. Equal scores keep catalog order so results are
 * reproducible; NaN scores never win.
 */
export function topK(
  scores: ArrayLike<number>,
  items: ArrayLike<number>,
  k: number,
  exclude?: ReadonlySet<number>,
): Recommendation[] {
  if (!(k >= 1)) return [];
  const best: Recommendation[] = [];
  // The score to beat once k are held: one comparison per item in the common case.
  let floor = -Infinity;
  for (let i = 0; i < items.length; i++) {
    const score = scores[i]!;
    if (!(score > floor) && (best.length === k || Number.isNaN(score))) continue;
    const item = items[i]!;
    if (Number.isNaN(score) || exclude?.has(item)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { item, score });
    if (best.length > k) best.pop();
    if (best.length === k) floor = best[k - 1]!.score;
  }
  return best;
}

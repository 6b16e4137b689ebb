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
  const best: Recommendation[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const score = scores[i]!;
    if (Number.isNaN(score) || exclude?.has(item)) continue;
    if (best.length === k && score <= best[k - 1]!.score) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { item, score });
    if (best.length > k) best.pop();
  }
  return best;
}

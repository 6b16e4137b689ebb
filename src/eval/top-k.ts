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
  const list = new BestList(k, exclude);
  list.offer(scores, items, 0, items.length);
  return list.best;
}

/** Positions found per scan: enough that a whole domain takes a handful of scans. */
const HITS = 256;

/**
 * topK's list, filled by any number of offer() calls in item order (the same list as one
 * topK over their concatenation). Each offer first scans for the scores that could enter
 * (above the score to beat, or anything but NaN while fewer than k are held) in a loop with
 * no call in it: V8 keeps such a loop's numbers in registers, and a loop that may call
 * takes ~2x as long over a million scores even when the call is almost never made.
 */
export class BestList {
  readonly best: Recommendation[] = [];
  /** The score to beat once k are held. */
  private floor = -Infinity;
  private readonly hits = new Int32Array(HITS);

  constructor(
    private readonly k: number,
    private readonly exclude?: ReadonlySet<number>,
  ) {}

  /** Offers items[offset + i] with scores[i] for i < n. */
  offer(scores: ArrayLike<number>, items: ArrayLike<number>, offset: number, n: number): void {
    for (let from = 0; from < n; ) {
      const found = scanAbove(scores, from, n, this.floor, this.best.length < this.k, this.hits);
      for (let h = 0; h < found; h++) this.take(items[offset + this.hits[h]!]!, scores[this.hits[h]!]!);
      from = found === HITS ? this.hits[HITS - 1]! + 1 : n;
    }
  }

  private take(item: number, score: number): void {
    const { best, k } = this;
    if (!(score > this.floor) && (best.length === k || Number.isNaN(score))) return;
    if (Number.isNaN(score) || this.exclude?.has(item)) return;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { item, score });
    if (best.length > k) best.pop();
    if (best.length === k) this.floor = best[k - 1]!.score;
  }
}

/** Positions in [from, to) whose score beats `floor` (any non-NaN one while `open`), up to hits.length of them; returns how many. */
function scanAbove(scores: ArrayLike<number>, from: number, to: number, floor: number, open: boolean, hits: Int32Array): number {
  let found = 0;
  for (let i = from; i < to; i++) {
    const s = scores[i]!;
    if (s > floor || (open && s === s)) {
      hits[found++] = i;
      if (found === hits.length) return found;
    }
  }
  return found;
}

import type { Recommender } from '../eval/recommender.ts';

/** A reason read from a model's attention: the position and how much attention it got. */
export interface PickReason {
  /** History position (0 = oldest). */
  readonly position: number;
  /** Attention weight (0..1) of that position in the model's last query. */
  readonly attention?: number;
  /** The domain whose history view weighed most in the domain attention, and its weight. */
  readonly domain?: string;
  readonly domainWeight?: number;
}

/** A recommender that can say which history position made it recommend each item (e.g. attention). */
export interface ExplainingRecommender extends Recommender {
  /** For each item, the history position (0 = oldest) most responsible (or a PickReason), or undefined. */
  explain(history: Int32Array, domain: number, items: Int32Array): Promise<(number | PickReason | undefined)[]>;
}

/** The PickReason of an explain() answer (a bare position has no attention fields). */
export function pickReason(at: number | PickReason | undefined): PickReason | undefined {
  return typeof at === 'number' ? { position: at } : at;
}

export function canExplain(recommender: Recommender): recommender is ExplainingRecommender {
  return typeof (recommender as Partial<ExplainingRecommender>).explain === 'function';
}

/** How many of the most recent history items are tried as reasons. */
export const REASON_WINDOW = 5;

/**
 * Model-agnostic reasons by leave-one-out: for each recommended item, the most recent of the
 * last REASON_WINDOW history items whose removal lowers that item's score. One batched score
 * call with one request per removed item.
 */
export async function explainByRemoval(
  recommender: Recommender,
  history: Int32Array,
  domain: number,
  items: Int32Array,
): Promise<(number | undefined)[]> {
  const reasons: (number | undefined)[] = Array.from(items, () => undefined);
  const positions: number[] = [];
  for (let p = history.length - 1; p >= Math.max(0, history.length - REASON_WINDOW); p--) positions.push(p);
  if (positions.length === 0 || items.length === 0) return reasons;
  const without = (p: number) => Int32Array.from([...history.subarray(0, p), ...history.subarray(p + 1)]);
  const [full, ...removed] = await recommender.score([
    { history, domain, candidates: items },
    ...positions.map((p) => ({ history: without(p), domain, candidates: items })),
  ]);
  items.forEach((_, i) => {
    const base = full![i]!;
    const k = removed.findIndex((scores) => base - scores[i]! > 1e-6 * Math.max(1, Math.abs(base)));
    if (k >= 0) reasons[i] = positions[k];
  });
  return reasons;
}

import type { Catalog, Sequence } from '../../catalog/types.ts';
import type { Recommendation, ScoreRequest } from '../recommender.ts';
import { topK } from '../top-k.ts';
import { domainItemsOf, domainPositions } from '../../catalog/catalog.ts';
import type { BaseScorer } from '../base-scores.ts';

export interface CooccurrenceParams {
  /** How many of the most recent history items vote. */
  readonly lastN: number;
  /** A transition counts item i -> item i+g for gaps g = 1..window. */
  readonly window: number;
  /** Vote weight of the k-th most recent item (k = 0 newest) is recencyDecay^k. */
  readonly recencyDecay: number;
  /** A transition at gap g counts gapDecay^(g-1). */
  readonly gapDecay: number;
  /** Popularity (training occurrences) times this is added as the tie-break. */
  readonly popularityWeight: number;
}

/** Chosen on the validation split among a few settings (see BENCHMARKS.md). */
export const DEFAULT_COOCCURRENCE: CooccurrenceParams = {
  lastN: 5,
  window: 3,
  recencyDecay: 0.7,
  gapDecay: 1,
  popularityWeight: 1e-3,
};

/** Sparse transition weights in compressed-row form: row r spans offsets[r]..offsets[r+1]. */
export interface TransitionTable {
  readonly offsets: Uint32Array;
  readonly targets: Int32Array;
  readonly weights: Float32Array;
}

/** Counts decayed forward transitions within `window` steps over the training sequences. */
export function countTransitions(size: number, train: readonly Sequence[], params: CooccurrenceParams): TransitionTable {
  const rows: Map<number, number>[] = Array.from({ length: size + 1 }, () => new Map());
  for (const { items } of train) {
    for (let i = 0; i < items.length; i++) {
      const row = rows[items[i]!]!;
      for (let g = 1; g <= params.window && i + g < items.length; g++) {
        const dst = items[i + g]!;
        row.set(dst, (row.get(dst) ?? 0) + params.gapDecay ** (g - 1));
      }
    }
  }
  const offsets = new Uint32Array(size + 2);
  rows.forEach((row, r) => (offsets[r + 1] = offsets[r]! + row.size));
  const targets = new Int32Array(offsets[size + 1]!);
  const weights = new Float32Array(targets.length);
  rows.forEach((row, r) => {
    let at = offsets[r]!;
    for (const dst of [...row.keys()].sort((a, b) => a - b)) {
      targets[at] = dst;
      weights[at++] = row.get(dst)!;
    }
  });
  return { offsets, targets, weights };
}

/** Weight of the transition src -> dst (0 when never seen); rows are sorted by target. */
export function transitionWeight(table: TransitionTable, src: number, dst: number): number {
  let lo = table.offsets[src]!;
  let hi = table.offsets[src + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = table.targets[mid]!;
    if (t === dst) return table.weights[mid]!;
    if (t < dst) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** One history position's vote for a candidate. */
export interface Vote {
  /** History position (0 = oldest). */
  readonly position: number;
  readonly weight: number;
}

/**
 * Exactly the votes a candidate's co-occurrence score is made of, newest position first: each
 * of the last `lastN` history items votes recencyDecay^k x transition weight. The popularity
 * tie-break is not a vote: it does not come from the history.
 */
export function cooccurrenceVotes(table: TransitionTable, params: CooccurrenceParams, history: Int32Array, item: number): Vote[] {
  const votes: Vote[] = [];
  const first = Math.max(0, history.length - params.lastN);
  for (let h = history.length - 1, k = 0; h >= first; h--, k++) {
    const weight = params.recencyDecay ** k * transitionWeight(table, history[h]!, item);
    if (weight > 0) votes.push({ position: h, weight });
  }
  return votes;
}

/** Votes summed per history item (an item seen twice in the window votes twice), newest item first. */
export function votesByItem(history: Int32Array, votes: readonly Vote[]): Map<number, number> {
  const byItem = new Map<number, number>();
  for (const v of votes) byItem.set(history[v.position]!, (byItem.get(history[v.position]!) ?? 0) + v.weight);
  return byItem;
}

/**
 * The history position that gave a candidate the most (its item's votes summed over its
 * occurrences; the newest occurrence of the strongest item), or undefined without votes.
 */
export function strongestVoter(history: Int32Array, votes: readonly Vote[]): number | undefined {
  const byItem = votesByItem(history, votes);
  let best: Vote | undefined;
  for (const v of votes) if (!best || byItem.get(history[v.position]!)! > byItem.get(history[best.position]!)!) best = v;
  return best?.position;
}

/** Each vote of the history's last `lastN` items: recencyDecay^k x the transition's weight, newest item first, edges in target order. */
function eachVote(table: TransitionTable, params: CooccurrenceParams, history: Int32Array, add: (item: number, amount: number) => void): void {
  const first = Math.max(0, history.length - params.lastN);
  for (let h = history.length - 1, k = 0; h >= first; h--, k++) {
    const src = history[h]!;
    const vote = params.recencyDecay ** k;
    for (let e = table.offsets[src]!; e < table.offsets[src + 1]!; e++) add(table.targets[e]!, vote * table.weights[e]!);
  }
}

/** A domain's popularity scores and the items a history's votes change, added in the same float32 steps as score(). */
function domainScoresOf(catalog: Catalog, transitions: TransitionTable, params: CooccurrenceParams, domainBase: readonly Float32Array[]): BaseScorer['domainScores'] {
  const position = domainPositions(catalog);
  return (history, domain) => {
    domainItemsOf(catalog, domain);
    const base = domainBase[domain]!;
    const changed = new Map<number, number>();
    eachVote(transitions, params, history, (item, amount) => {
      if (catalog.domainOf[item] !== domain) return;
      const j = position[item]!;
      changed.set(j, Math.fround((changed.get(j) ?? base[j]!) + amount));
    });
    return { base, changed: Int32Array.from(changed.keys()), values: Float32Array.from(changed.values()) };
  };
}

/**
 * Co-occurrence explains each pick by its own votes (the engine's reason line reads this),
 * and gives a whole domain as its popularity base plus the history's votes (base-scores.ts).
 */
export interface CooccurrenceRecommender extends BaseScorer {
  explain(history: Int32Array, domain: number, items: Int32Array): Promise<(number | undefined)[]>;
}

/**
 * Per domain, popularityWeight x popularity of its items, in domainItems order. A function of
 * its own so that the recommender's closures do not keep `popularity` alive.
 */
function popularityScores(catalog: Catalog, popularity: Float64Array, weight: number): Float32Array[] {
  return catalog.domainItems.map((items) => Float32Array.from(items, (i) => weight * (popularity[i] ?? 0)));
}

/**
 * Last-item co-occurrence: the most recent history items vote for what followed them in
 * training, decayed by recency and gap, with popularity as the tie-break.
 */
export function createCooccurrence(
  catalog: Catalog,
  transitions: TransitionTable,
  popularity: Float64Array,
  params: CooccurrenceParams = DEFAULT_COOCCURRENCE,
): CooccurrenceRecommender {
  const slot = new Int32Array(catalog.size + 1).fill(-1);
  // A whole domain starts from its popularity scores, computed once: a request then copies them
  // (one memcpy) and adds its few votes, instead of three passes over every item of the domain.
  const domainBase = popularityScores(catalog, popularity, params.popularityWeight);
  const position = domainPositions(catalog);
  const addVotes = (history: Int32Array, scores: Float32Array, at: (item: number) => number): void =>
    eachVote(transitions, params, history, (item, amount) => {
      const j = at(item);
      if (j >= 0) scores[j]! += amount;
    });
  const scoreOne = (r: ScoreRequest): Float32Array => {
    if (!r.candidates) {
      domainItemsOf(catalog, r.domain);
      const scores = domainBase[r.domain]!.slice();
      addVotes(r.history, scores, (item) => (catalog.domainOf[item] === r.domain ? position[item]! : -1));
      return scores;
    }
    const items = r.candidates;
    // The same float32 values as domainBase holds: `popularity` itself (8 bytes an item) is not kept.
    const scores = Float32Array.from(items, (i) => (catalog.domainOf[i]! >= 0 ? domainBase[catalog.domainOf[i]!]![position[i]!]! : 0));
    items.forEach((item, k) => (slot[item] = k));
    addVotes(r.history, scores, (item) => slot[item]!);
    items.forEach((item) => (slot[item] = -1));
    return scores;
  };
  return {
    name: 'cooccurrence',
    score: async (requests: readonly ScoreRequest[]) => requests.map(scoreOne),
    recommend: async (history, domain, k, exclude): Promise<Recommendation[]> =>
      topK(scoreOne({ history, domain }), domainItemsOf(catalog, domain), k, exclude),
    domainScores: domainScoresOf(catalog, transitions, params, domainBase),
    explain: async (history, _domain, items) => Array.from(items, (item) => strongestVoter(history, cooccurrenceVotes(transitions, params, history, item))),
    dispose: () => undefined,
  };
}

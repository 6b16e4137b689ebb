/**
 * Pure logic of the time-boxed settings search that `npm run train` runs on data it has
 * never seen (the runner is scripts/train-search.ts): which candidate settings to try, how
 * many for the budget and the dataset's size, how long each rung's slice is, and which
 * candidates survive each rung. Successive halving (Jamieson & Talwalkar 2016, the scheduler
 * behind Hyperband, Optuna's SuccessiveHalvingPruner and Ray Tune's ASHA) with wall-clock
 * seconds as the resource: every rung gets an equal share of the search time, the better half
 * (by the valid score) goes on with twice the time each, the last one standing trains on to
 * early stopping with what is left of the budget. No randomness outside the seeded generator.
 */
import { createRng, shuffle, type Rng } from './rng.ts';
import type { ItemInitKind } from './create.ts';

/** The settings the search chooses (the rest of a run's options stay as given). */
export interface TrainingSettings {
  readonly learningRate: number;
  /** Target positions per batch. */
  readonly batchPositions: number;
  /** Sampled in-domain negatives per domain per batch, or 'full' (whole-domain softmax). */
  readonly negatives: number | 'full';
  readonly dropout: number;
  /** Hidden size d. */
  readonly dim: number;
  /** How item ID rows start: random, or from the training log's co-occurrence (item-init.ts). */
  readonly itemInit: ItemInitKind;
  /** Weight of distillation from the co-occurrence teacher (TrainOptions.distill; 0 = off). */
  readonly distill: number;
  /** Share of each batch's items seen by content only (TrainOptions.idDropout; 0 = off). */
  readonly idDropout: number;
}

/** The values a careful engineer would try, around what worked on Food-Kitchen. */
export const SEARCH_SPACE = {
  learningRate: [0.001, 0.002, 0.004, 0.008],
  batchPositions: [256, 512, 1024, 2048],
  negatives: [512, 2048, 8192, 'full'],
  dropout: [0.1, 0.2, 0.3, 0.5],
  dim: [32, 64, 128],
  itemInit: ['random', 'cooccurrence'],
  distill: [0, 0.5, 1],
  idDropout: [0, 0.3, 0.5],
} as const satisfies { readonly [K in keyof TrainingSettings]: readonly TrainingSettings[K][] };

/** Candidate 0: the first run of the shipped Food-Kitchen recipe (BENCHMARKS.md), fitted to the data. */
export const ANCHOR_SETTINGS: TrainingSettings = { learningRate: 0.004, batchPositions: 1024, negatives: 2048, dropout: 0.2, dim: 64, itemInit: 'cooccurrence', distill: 0, idDropout: 0 };

/**
 * Candidate 1: the best recipe measured on a 10x sparser store (docs/experiments.md, "A 10x
 * sparser store (5 minutes)" and "Cold start"): narrow, heavily regularized, distilled from
 * co-occurrence, with ID dropout. A small log is where a first rung of an epoch or so says
 * least, so the search starts from both ends.
 */
export const SPARSE_ANCHOR_SETTINGS: TrainingSettings = { learningRate: 0.002, batchPositions: 512, negatives: 8192, dropout: 0.5, dim: 32, itemInit: 'cooccurrence', distill: 1, idDropout: 0.3 };

export const SEARCH_DEFAULTS = {
  /** Share of the budget (after the reserve) for the halving rounds; the rest trains the winner on. */
  searchShare: 0.5,
  /** Share of the budget kept for the final valid report and saving. */
  reserveShare: 0.05,
  /**
   * A first-rung slice shorter than this many epochs says too little: fewer candidates instead.
   * At a quarter epoch the 10x sparser store's 8 candidates got 4-8 s slices, and the slow
   * models' setup and evaluations ate the later rungs (docs/experiments.md, "Distillation from co-occurrence").
   */
  minSliceEpochs: 1,
  /** Most candidates in the first rung. */
  maxCandidates: 16,
  /** Keep 1 of eta per rung. */
  eta: 2,
  /**
   * Share of a candidate's score that is the cold-start measure (valid NDCG@10 with the targets
   * and a tenth of the catalog described as new products, scripts/cold-start.ts); the rest is
   * plain valid NDCG@10. A shop adds products every day: a model that cannot rank them must be
   * clearly better on the rest to win.
   */
  newProductWeight: 0.2,
  /**
   * A restart of the winner (train-search.ts) starts only while at least this share of the
   * winner's own training time is left: less would stop it well short of where the winner got.
   */
  restartShare: 0.8,
  /** Rungs score on at most this many valid cases (a seeded subset, the same for every candidate). */
  maxRungCases: 2000,
  /** Throughput assumed for planning before anything is measured (Node wasm, one thread, d = 64). */
  priorPositionsPerSecond: 2500,
  /** Default budget: this many estimated epochs of the anchor, clamped to [min, max] minutes. */
  defaultBudgetEpochs: 20,
  minDefaultMinutes: 5,
  maxDefaultMinutes: 60,
} as const;

/** What the plan needs to know about the data. */
export interface DataProfile {
  /** Training positions per epoch (next-item targets). */
  readonly positions: number;
  /** Items in the largest domain (more negatives than this is the full softmax). */
  readonly largestDomain: number;
}

/** Settings fitted to a dataset: at least 16 batches an epoch, negatives no more than a domain. */
export function fitSettings(settings: TrainingSettings, profile: DataProfile): TrainingSettings {
  let batch = settings.batchPositions;
  while (batch > 16 && batch * 16 > profile.positions) batch /= 2;
  const negatives = settings.negatives !== 'full' && settings.negatives >= profile.largestDomain ? 'full' : settings.negatives;
  return { ...settings, batchPositions: Math.max(16, Math.floor(batch)), negatives };
}

/** Every setting, in SEARCH_SPACE order (also the order the design draws them in). */
const SETTING_KEYS = Object.keys(SEARCH_SPACE) as (keyof TrainingSettings)[];

const keyOf = (s: TrainingSettings): string => JSON.stringify(SETTING_KEYS.map((k) => s[k]));

/**
 * `count` distinct candidates: the two anchors first, then a seeded space-filling design (each
 * dimension's values cycled in a shuffled order, so every value is tried about equally often).
 * `pinned` settings (the user's explicit flags) hold for every candidate.
 */
export function candidateSettings(count: number, profile: DataProfile, seed: number, pinned: Partial<TrainingSettings> = {}): TrainingSettings[] {
  const out: TrainingSettings[] = [];
  const seen = new Set<string>();
  for (const anchor of [ANCHOR_SETTINGS, SPARSE_ANCHOR_SETTINGS].slice(0, Math.max(1, count))) {
    const s = fitSettings({ ...anchor, ...pinned }, profile);
    if (!seen.has(keyOf(s))) (seen.add(keyOf(s)), out.push(s));
  }
  const next = spaceFillingDraw(createRng(seed));
  for (let tries = 0; out.length < count && tries < count * 50; tries++) {
    const drawn = Object.fromEntries(SETTING_KEYS.map((k) => [k, next(k)])) as unknown as TrainingSettings;
    const s = fitSettings({ ...drawn, ...pinned }, profile);
    if (!seen.has(keyOf(s))) {
      seen.add(keyOf(s));
      out.push(s);
    }
  }
  return out;
}

/** Draws each dimension's values in a shuffled order, reshuffled after each full cycle. */
function spaceFillingDraw(rng: Rng): <K extends keyof TrainingSettings>(key: K) => TrainingSettings[K] {
  const columns = new Map<keyof TrainingSettings, { values: unknown[]; at: number }>();
  return <K extends keyof TrainingSettings>(key: K): TrainingSettings[K] => {
    let column = columns.get(key);
    if (!column) columns.set(key, (column = { values: shuffle([...SEARCH_SPACE[key]], rng), at: 0 }));
    if (column.at === column.values.length) {
      shuffle(column.values, rng);
      column.at = 0;
    }
    return column.values[column.at++] as TrainingSettings[K];
  };
}

/** Rungs of successive halving from n candidates to one (keeping ceil(n / eta) each time). */
export function rungCount(candidates: number, eta: number = SEARCH_DEFAULTS.eta): number {
  let rungs = 0;
  for (let n = candidates; n > 1; n = Math.ceil(n / eta)) rungs++;
  return rungs;
}

export interface BudgetInput {
  readonly budgetSeconds: number;
  /** Estimated seconds of one training epoch. */
  readonly epochSeconds: number;
  /** Measured seconds of one valid evaluation (the score after each slice). */
  readonly evalSeconds: number;
  /** Most candidates to start with (the search space may hold fewer distinct ones). */
  readonly maxCandidates?: number;
}

export interface SearchPlan {
  readonly candidates: number;
  readonly rungs: number;
  readonly searchSeconds: number;
  readonly reserveSeconds: number;
  /** Training seconds of each first-rung slice (0 when there is one candidate: no rung). */
  readonly firstSliceSeconds: number;
}

/**
 * How many candidates the budget affords: the most (up to maxCandidates) whose first-rung
 * slice still trains each for an epoch (minSliceEpochs), after paying one evaluation per slice.
 */
export function planSearch(input: BudgetInput): SearchPlan {
  const d = SEARCH_DEFAULTS;
  const reserveSeconds = Math.max(d.reserveShare * input.budgetSeconds, 2 * input.evalSeconds);
  const searchSeconds = Math.max(0, d.searchShare * (input.budgetSeconds - reserveSeconds));
  const minSlice = Math.max(d.minSliceEpochs * input.epochSeconds, input.evalSeconds, 0.5);
  for (let n = Math.max(1, input.maxCandidates ?? d.maxCandidates); n >= 2; n--) {
    const slice = searchSeconds / rungCount(n) / n - input.evalSeconds;
    if (slice >= minSlice) return { candidates: n, rungs: rungCount(n), searchSeconds, reserveSeconds, firstSliceSeconds: slice };
  }
  return { candidates: 1, rungs: 0, searchSeconds: 0, reserveSeconds, firstSliceSeconds: 0 };
}

/**
 * Training seconds per survivor for the next rung: an equal share of what is left of the
 * search time per rung left, less one evaluation; 0 when nothing is left.
 */
export function sliceSeconds(remainingSearchSeconds: number, survivors: number, rungsLeft: number, evalSeconds: number): number {
  if (rungsLeft <= 0 || survivors <= 0) return 0;
  return Math.max(0, remainingSearchSeconds / rungsLeft / survivors - evalSeconds);
}

/** Epoch cap of rung r's slice: 2^r (time is the real limit; this stops tiny datasets overfitting a slice). */
export const sliceEpochs = (rung: number): number => 2 ** rung;

/**
 * Indices (into `scores`) that survive a rung: the best ceil(n / eta) by score, ties to the
 * earlier candidate; a missing or non-finite score (a failed candidate) ranks last.
 */
export function survivors(scores: readonly (number | undefined)[], eta: number = SEARCH_DEFAULTS.eta): number[] {
  const value = (i: number): number => (Number.isFinite(scores[i]) ? scores[i]! : -Infinity);
  const order = scores.map((_, i) => i).sort((a, b) => value(b) - value(a) || a - b);
  return order.slice(0, Math.ceil(scores.length / eta));
}

/** Budget when none is given: ~20 estimated epochs, 5 to 60 minutes. */
export function defaultBudgetMinutes(positions: number): number {
  const d = SEARCH_DEFAULTS;
  const minutes = Math.ceil((d.defaultBudgetEpochs * positions) / d.priorPositionsPerSecond / 60);
  return Math.min(d.maxDefaultMinutes, Math.max(d.minDefaultMinutes, minutes));
}

/** Positions in one epoch: next-item targets per sequence, capped at the model's history length. */
export function trainingPositions(lengths: Iterable<number>, maxLength: number): number {
  let n = 0;
  for (const length of lengths) if (length >= 2) n += Math.min(length - 1, maxLength);
  return n;
}

/**
 * Which valid cases the rungs score on: all of them when there are at most `max`, else a
 * seeded subset of `max` (ascending indices), the same for every candidate so that their
 * scores compare; the winner is rescored on all of them before it trains on.
 */
export function rungCaseIndices(total: number, seed: number, max: number = SEARCH_DEFAULTS.maxRungCases): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  if (total <= max) return all;
  return shuffle(all, createRng(seed)).slice(0, max).sort((a, b) => a - b);
}

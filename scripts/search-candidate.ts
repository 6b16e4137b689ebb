/**
 * One candidate of the settings search (train-search.ts): its record, its live model and Adam
 * state, and how it trains a slice and is scored (SELECTION_METRIC, on valid only).
 */
import type { FeatureTable } from '../src/catalog/features.ts';
import type { EvalCase, TrainingData } from '../src/catalog/types.ts';
import type { HafConfig } from '../src/model/config.ts';
import { createHafModel } from '../src/model/create.ts';
import type { HafModel } from '../src/model/model.ts';
import type { TrainingSettings } from '../src/model/settings-search.ts';
import type { HafAdam } from '../src/model/sparse-adam.ts';
import { train, type TrainOptions, type TrainResult } from '../src/model/trainer.ts';
import { createOptimizer } from '../src/model/train-step.ts';
import { selectionScore } from './cold-start.ts';

export interface SearchInput {
  readonly data: TrainingData;
  readonly features: readonly FeatureTable[];
  /** Model settings that are not searched (heads, blocks, ablation switches). */
  readonly config: Partial<HafConfig>;
  /** Trainer options that are not searched (seed, weight decay, --max-batches). */
  readonly options: Pick<TrainOptions, 'seed' | 'weightDecay'> & Partial<TrainOptions>;
  readonly budgetSeconds: number;
  /** Settings the user gave explicitly: every candidate keeps them. */
  readonly pinned?: Partial<TrainingSettings>;
  /** `--init`: loads a fresh copy of the starting weights each call. */
  readonly init?: () => Promise<HafModel>;
  readonly log?: (line: string) => void;
}

export interface SliceRecord {
  readonly rung: number | 'final';
  /** Wall-clock seconds of training (validation not counted). */
  readonly seconds: number;
  /** CPU seconds of the whole slice, validation included (rung slices are boxed on this clock). */
  readonly cpuSeconds: number;
  readonly epochs: number;
  readonly positions: number;
  /** The search's score (SearchRecord.metric) of the weights kept after the slice, on `cases` valid cases. */
  readonly valid: number;
  readonly cases: number;
  /** Each epoch of the slice (the last may be cut short by the time box): rate, positions, valid. */
  readonly history: readonly { learningRate: number; positions: number; valid?: number }[];
}

export interface CandidateRecord {
  readonly id: number;
  /** 'scratch': fresh weights; 'init': continued from --init; 'init-as-is': the --init weights untrained. */
  readonly from: 'scratch' | 'init' | 'init-as-is';
  readonly settings: TrainingSettings;
  /** Set on a restart: the candidate whose settings it trains again from a new seed. */
  readonly restartOf?: number;
  readonly slices: SliceRecord[];
  /** Its latest score by the search's metric (SearchRecord.metric). */
  valid?: number;
  outcome: string;
}

export interface Live {
  readonly record: CandidateRecord;
  model?: HafModel;
  /** Its Adam state, carried from one rung's slice to the next (as a resumed checkpoint would). */
  optimizer?: HafAdam;
}

/** A candidate's score (SEARCH_METRIC) as it is now, on `cases` (default: all of valid). */
export async function validScore(model: HafModel, data: TrainingData, cases: readonly EvalCase[] = data.valid): Promise<number> {
  return (await selectionScore(model, data.catalog, cases)).score;
}

export const seconds = (since: number): number => (performance.now() - since) / 1000;

/**
 * CPU seconds of this process (user + system): the clock of the rung slices, so that each
 * candidate gets the same compute while other jobs' load on a shared machine comes and goes.
 */
export const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * A slice's clock: CPU seconds since now, unless the wall clock runs past twice that (a box
 * so loaded that the slice would eat the budget): equal compute, bounded wall time.
 */
export function sliceClock(): () => number {
  const cpu = cpuSeconds();
  const wall = performance.now();
  return () => Math.max(cpuSeconds() - cpu, (performance.now() - wall) / 2000);
}

export async function runSlice(c: Live, input: SearchInput, rung: number | 'final', box: Partial<TrainOptions>, cases: readonly EvalCase[], log: (line: string) => void): Promise<void> {
  const s = c.record.settings;
  c.model ??= c.record.from === 'init' ? await input.init!() : createHafModel(input.data.catalog, {
    config: { ...input.config, dim: s.dim, dropout: s.dropout },
    features: input.features,
    seed: input.options.seed + c.record.id,
    train: input.data.train,
    itemInit: s.itemInit,
  });
  const model = c.model;
  const cpuStart = cpuSeconds();
  c.optimizer ??= createOptimizer(model, { learningRate: s.learningRate, ...(input.options.sparseItemAdam ? { sparseItemAdam: true } : {}) });
  const result: TrainResult = await train(model, { train: input.data.train, domainItems: input.data.catalog.domainItems, domainOf: input.data.catalog.domainOf }, {
    ...input.options,
    ...box,
    learningRate: s.learningRate,
    batchPositions: s.batchPositions,
    negatives: s.negatives,
    distill: s.distill,
    idDropout: s.idDropout,
    optimizer: c.optimizer,
    // A new shuffle each slice: a slice of part of an epoch must not replay the last one's batches.
    seed: input.options.seed + 1009 * (rung === 'final' ? 99 : rung + 1) + c.record.id,
    ...(c.record.valid === undefined ? {} : { initialValid: c.record.valid }),
    validate: () => validScore(model, input.data, cases),
  });
  const slice: SliceRecord = {
    rung,
    seconds: result.history.reduce((n, h) => n + h.seconds, 0),
    cpuSeconds: cpuSeconds() - cpuStart,
    epochs: result.history.length,
    positions: result.history.reduce((n, h) => n + h.positions, 0),
    valid: result.bestValid ?? Number.NaN,
    cases: cases.length,
    history: result.history.map((h) => ({ learningRate: h.learningRate, positions: h.positions, ...(h.valid === undefined ? {} : { valid: h.valid }) })),
  };
  c.record.slices.push(slice);
  c.record.valid = slice.valid;
  log(`  candidate ${c.record.id} ${JSON.stringify(s)} ${c.record.from}, rung ${rung}: ${slice.epochs} epoch(s), ${slice.positions} positions, ${slice.seconds.toFixed(0)} s, score ${slice.valid.toFixed(4)}`);
}

export function drop(c: Live, outcome: string): void {
  c.record.outcome = outcome;
  c.model?.dispose();
  c.optimizer?.dispose();
  c.model = undefined;
  c.optimizer = undefined;
}

/**
 * The settings search of `npm run train` (`--budget-minutes`, or no settings flags): runs the
 * plan of src/model/settings-search.ts with the real trainer and evaluator, on VALID only
 * (SEARCH_METRIC: sampled NDCG@10, the repository's selection metric, weighed with the
 * cold-start measure of scripts/cold-start.ts). Candidates train in time-boxed slices; the
 * better half goes on each rung; the winner trains on to early stopping (learning rate halved
 * on a plateau) with what is left; under `--init` the starting checkpoint is a
 * candidate too and is kept when nothing beats it. Returns the chosen model and a record of
 * every candidate for the manifest.
 */
import type { EvalCase } from '../src/catalog/types.ts';
import { resolveConfig } from '../src/model/config.ts';
import { createHafModel } from '../src/model/create.ts';
import type { HafModel } from '../src/model/model.ts';
import {
  candidateSettings, planSearch, rungCaseIndices, sliceEpochs, sliceSeconds, survivors, trainingPositions, SEARCH_DEFAULTS,
  type SearchPlan, type TrainingSettings,
} from '../src/model/settings-search.ts';
import { SELECTION_METRIC } from './cold-start.ts';
import { drop, runSlice, seconds, sliceClock, validScore, type CandidateRecord, type Live, type SearchInput } from './search-candidate.ts';

export { cpuSeconds, sliceClock, type CandidateRecord, type SearchInput, type SliceRecord } from './search-candidate.ts';

export interface SearchRecord {
  /** What the candidates' scores are. */
  readonly metric: string;
  readonly budgetSeconds: number;
  readonly positions: number;
  /** Valid cases each rung scores on (all of valid, or a seeded subset of a large one). */
  readonly rungCases: number;
  readonly validCases: number;
  readonly evalSeconds: number;
  readonly plan: SearchPlan;
  readonly candidates: CandidateRecord[];
  winner?: number;
  reason?: string;
  seconds?: number;
}

export const SEARCH_METRIC = SELECTION_METRIC;

/** A search under way: its plan, its candidates and the valid cases its rungs score on. */
interface Search {
  readonly started: number;
  readonly plan: SearchPlan;
  readonly record: SearchRecord;
  readonly live: Live[];
  readonly rungValid: readonly EvalCase[];
  readonly log: (line: string) => void;
}

export async function searchSettings(input: SearchInput): Promise<{ model: HafModel; record: SearchRecord }> {
  const search = await startSearch(input);
  const { live, record } = search;
  try {
    const winner = await runRungs(input, search);
    await trainOn(input, search, winner);
    const best = await restarts(input, search, winner);
    const chosen = choose(best, live.find((c) => c.record.from === 'init-as-is'), record);
    for (const c of live) if (c !== chosen) drop(c, c.record.outcome);
    chosen.optimizer?.dispose();
    record.seconds = seconds(search.started);
    return { model: chosen.model!, record };
  } catch (error) {
    live.forEach((c) => drop(c, 'failed'));
    throw error;
  }
}

/** Scores the starting point (the --init weights, or times one evaluation), plans, builds the candidates. */
async function startSearch(input: SearchInput): Promise<Search> {
  const started = performance.now();
  const log = input.log ?? ((): void => undefined);
  const { catalog, valid } = input.data;
  const positions = trainingPositions(input.data.train.map((s) => s.items.length), resolveConfig(input.config).maxLength);
  const profile = { positions, largestDomain: Math.max(...catalog.domainItems.map((d) => d.length)) };
  const rungValid = rungCaseIndices(valid.length, input.options.seed).map((i) => valid[i]!);
  // Under --init the starting weights are the first candidate; scoring them also times an evaluation.
  const start = input.init ? await input.init() : undefined;
  const evalStarted = performance.now();
  const startScore = start ? await validScore(start, input.data) : undefined;
  const evalSeconds = start ? (seconds(evalStarted) * rungValid.length) / valid.length : await timeOneEvaluation(input, profile, rungValid);
  const plan = planSearch({ budgetSeconds: input.budgetSeconds, epochSeconds: positions / SEARCH_DEFAULTS.priorPositionsPerSecond, evalSeconds });
  const record: SearchRecord = { metric: SEARCH_METRIC, budgetSeconds: input.budgetSeconds, positions, rungCases: rungValid.length, validCases: valid.length, evalSeconds, plan, candidates: [] };
  const live = buildCandidates(input, plan, profile, start, startScore);
  record.candidates.push(...live.map((c) => c.record));
  log(`settings search: ${positions} positions, budget ${input.budgetSeconds.toFixed(0)} s, ${plan.candidates} candidate(s), ${plan.rungs} rung(s), one valid evaluation ${evalSeconds.toFixed(1)} s`);
  return { started, plan, record, live, rungValid, log };
}

/** Successive halving: each rung trains every survivor for its slice, the better half goes on. */
async function runRungs(input: SearchInput, search: Search): Promise<Live> {
  const { plan, record } = search;
  let alive = search.live.filter((c) => c.record.from !== 'init-as-is');
  for (let rung = 0; rung < plan.rungs && alive.length > 1; rung++) {
    const slice = sliceSeconds(plan.searchSeconds - seconds(search.started), alive.length, plan.rungs - rung, record.evalSeconds);
    for (const c of alive) await runSlice(c, input, rung, { epochs: sliceEpochs(rung), maxSeconds: slice, patience: 2, clock: sliceClock() }, search.rungValid, search.log);
    const keep = new Set(survivors(alive.map((c) => c.record.valid)).map((i) => alive[i]!));
    for (const c of alive) if (!keep.has(c)) drop(c, `dropped after rung ${rung} (valid ${c.record.valid?.toFixed(4)})`);
    alive = alive.filter((c) => keep.has(c));
  }
  return alive.sort((a, b) => (b.record.valid ?? -Infinity) - (a.record.valid ?? -Infinity))[0]!;
}

/** The winner, rescored on all of valid when the rungs used a subset, trains on to early stopping with what is left. */
async function trainOn(input: SearchInput, search: Search, winner: Live): Promise<void> {
  const { valid } = input.data;
  if (winner.model && search.rungValid.length < valid.length) {
    winner.record.valid = await validScore(winner.model, input.data);
    search.log(`  candidate ${winner.record.id} rescored on all ${valid.length} valid cases: ${winner.record.valid.toFixed(4)}`);
  }
  const finalSeconds = input.budgetSeconds - search.plan.reserveSeconds - seconds(search.started);
  // A lone candidate with no time left still gets a short slice.
  if (finalSeconds > search.record.evalSeconds || !winner.model) {
    await runSlice(winner, input, 'final', { epochs: 1000, maxSeconds: Math.max(finalSeconds, 1), patience: 2, lrSchedule: 'plateau' }, valid, search.log);
  }
}

/**
 * Budget the winner's early stopping left unused goes to restarts: its settings trained again
 * the same way from a new seed (the rungs are not rerun), kept when higher on all of valid. A
 * restart starts only while about as much time is left as the winner's own training took.
 * On the 10x sparser store the same recipe moves by ~0.003 valid NDCG@10 between seeds, and
 * early stopping there ended a 5-minute search with half its budget unused.
 */
async function restarts(input: SearchInput, search: Search, winner: Live): Promise<Live> {
  const cost = winner.record.slices.reduce((n, slice) => n + slice.cpuSeconds, 0);
  const left = (): number => input.budgetSeconds - search.plan.reserveSeconds - seconds(search.started);
  let best = winner;
  while (left() >= Math.max(SEARCH_DEFAULTS.restartShare * cost, 3 * search.record.evalSeconds)) {
    const from = winner.record.from === 'init' ? 'init' : 'scratch';
    const again: Live = { record: { id: search.live.length, from, settings: winner.record.settings, restartOf: winner.record.id, slices: [], outcome: 'restart' } };
    search.live.push(again);
    search.record.candidates.push(again.record);
    await runSlice(again, input, 'final', { epochs: 1000, maxSeconds: left(), patience: 2, lrSchedule: 'plateau' }, input.data.valid, search.log);
    const [low, high] = (again.record.valid ?? -Infinity) > (best.record.valid ?? -Infinity) ? [best, again] : [again, best];
    drop(low, `${low.record.restartOf === undefined ? 'the halving\'s winner' : `restart of candidate ${winner.record.id}`}, lower on valid than candidate ${high.record.id} (${low.record.valid?.toFixed(4)})`);
    best = high;
  }
  return best;
}

/** Without --init: time one evaluation on a throwaway untrained model of the anchor's shape. */
async function timeOneEvaluation(input: SearchInput, profile: { positions: number; largestDomain: number }, cases: readonly EvalCase[]): Promise<number> {
  const [anchor] = candidateSettings(1, profile, input.options.seed, input.pinned);
  const model = createHafModel(input.data.catalog, { config: { ...input.config, dim: anchor!.dim }, features: input.features, seed: input.options.seed, train: input.data.train });
  try {
    const t = performance.now();
    await validScore(model, input.data, cases);
    return seconds(t);
  } finally {
    model.dispose();
  }
}

function buildCandidates(input: SearchInput, plan: SearchPlan, profile: { positions: number; largestDomain: number }, start: HafModel | undefined, startScore: number | undefined): Live[] {
  const settings = candidateSettings(plan.candidates, profile, input.options.seed, input.pinned);
  const live: Live[] = [];
  if (start) {
    const s: TrainingSettings = { ...settings[0]!, learningRate: settings[0]!.learningRate / 4, dim: start.config.dim, dropout: start.config.dropout, itemInit: 'random' };
    live.push({ record: { id: 0, from: 'init-as-is', settings: s, slices: [], valid: startScore!, outcome: 'the --init weights, scored as they are' }, model: start });
    // Continuing the --init weights (at a quarter of the anchor's rate) takes the last place of the design.
    if (plan.candidates > 1) settings.splice(settings.length - 1, 1, s);
  }
  settings.forEach((s, i) => {
    const from = start && plan.candidates > 1 && i === settings.length - 1 ? 'init' : 'scratch';
    live.push({ record: { id: live.length, from, settings: s, slices: [], outcome: 'candidate' } });
  });
  return live;
}

/** The trained winner, unless the untouched --init weights score higher on valid. */
function choose(winner: Live, initAsIs: Live | undefined, record: SearchRecord): Live {
  const kept = initAsIs && (initAsIs.record.valid ?? -Infinity) >= (winner.record.valid ?? -Infinity) ? initAsIs : winner;
  const other = kept === winner ? initAsIs : winner;
  kept.record.outcome = 'winner';
  record.winner = kept.record.id;
  record.reason = kept === initAsIs
    ? `the --init weights (valid ${kept.record.valid!.toFixed(4)}) were not beaten by the best trained candidate (${other!.record.valid!.toFixed(4)})`
    : `highest score (${SEARCH_METRIC}) after the last rung and training on (${kept.record.valid!.toFixed(4)}${other ? `; the --init weights: ${other.record.valid!.toFixed(4)}` : ''})`;
  if (other) other.record.outcome = kept === initAsIs ? 'trained winner of the halving, lower than the --init weights' : 'the --init weights, beaten';
  return kept;
}

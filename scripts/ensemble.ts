/**
 * npm run ensemble -- --candidates DIR,DIR,... [--rounds N] [--data dir] [--limit N]
 * Greedy ensemble selection of trained HAF weight folders on the VALID split only (sampled
 * NDCG@10 overall, the protocol's selection metric): each candidate's scores are
 * standardized over the target domain, members are added (with replacement) while the
 * valid score rises, and the command that evaluates the chosen ensemble is printed.
 * Never reads the test split: run the printed eval command for test.
 */
import { resolve } from 'node:path';
import { FOOD_KITCHEN_DIR, loadDataset } from '../src/catalog/dataset-load.ts';
import { runCli } from './cli.ts';
import type { Dataset, EvalCase } from '../src/catalog/types.ts';
import { standardize } from '../src/eval/blend.ts';
import { selectEnsemble, weightedScores } from '../src/eval/ensemble-select.ts';
import { ranksFromDomainScores } from '../src/eval/evaluate.ts';
import { metricsByDomain } from '../src/eval/metrics.ts';
import { numberArg, parseArgs, stringArg, UsageError } from './args.ts';
import { loadHafRecommender } from './haf-setup.ts';

const USAGE = 'usage: npm run ensemble -- --candidates DIR,DIR,... [--rounds N] [--data dir] [--limit N]';

/** Each case's whole-domain scores from one weight folder, standardized (the blend's 'z'). */
async function standardizedScores(dataset: Dataset, dir: string, cases: readonly EvalCase[]): Promise<Float32Array[]> {
  const recommender = await loadHafRecommender(dataset, { weights: dir });
  try {
    const out: Float32Array[] = [];
    for (let start = 0; start < cases.length; start += 64) {
      const batch = cases.slice(start, start + 64);
      const scores = await recommender.score(batch.map((c) => ({ history: c.history, domain: c.domain })));
      for (const s of scores) out.push(standardize(s, 'z'));
    }
    return out;
  } finally {
    recommender.dispose();
  }
}

function ndcgAt10(dataset: Dataset, cases: readonly EvalCase[], scores: readonly Float32Array[]): { sampled: number; full: number } {
  const sampled: number[] = [];
  const full: number[] = [];
  cases.forEach((c, i) => {
    const ranks = ranksFromDomainScores(dataset.catalog, c, scores[i]!);
    sampled.push(ranks.sampled);
    full.push(ranks.full);
  });
  const domains = cases.map((c) => c.domain);
  const names = dataset.catalog.domains;
  return { sampled: metricsByDomain(sampled, domains, names).overall!['NDCG@10'], full: metricsByDomain(full, domains, names).overall!['NDCG@10'] };
}

export interface EnsembleChoice {
  readonly dirs: readonly string[];
  readonly counts: readonly number[];
  readonly valid: { readonly sampled: number; readonly full: number };
  /** The eval command that reports the chosen ensemble on test. */
  readonly command: string;
}

/** Scores every candidate on valid (first `limit` shoppers), then selects greedily; `log` gets progress lines. */
export async function chooseEnsemble(dataset: Dataset, dirs: readonly string[], options: { rounds?: number; limit?: number; log?: (line: string) => void } = {}): Promise<EnsembleChoice> {
  const log = options.log ?? (() => undefined);
  const cases = dataset.valid.slice(0, options.limit ?? Infinity);
  const scores: Float32Array[][] = [];
  for (const dir of dirs) {
    scores.push(await standardizedScores(dataset, dir, cases));
    const single = ndcgAt10(dataset, cases, scores.at(-1)!);
    log(`candidate ${scores.length - 1} ${dir}: valid NDCG@10 sampled ${single.sampled.toFixed(4)}, full ${single.full.toFixed(4)}`);
  }
  const objective = (counts: readonly number[]): number => ndcgAt10(dataset, cases, weightedScores(scores, counts)).sampled;
  const { counts, rounds } = selectEnsemble(dirs.length, objective, options.rounds ?? 6);
  rounds.forEach((r, i) => log(`round ${i + 1}: + candidate ${r.member} -> valid NDCG@10 sampled ${r.score.toFixed(4)}`));
  const valid = ndcgAt10(dataset, cases, weightedScores(scores, counts));
  log(`chosen: valid NDCG@10 sampled ${valid.sampled.toFixed(4)}, full ${valid.full.toFixed(4)} (${cases.length} valid shoppers)`);
  const members = dirs.filter((_, k) => counts[k]! > 0);
  const command = `npm run eval -- --model haf-ensemble --weights ${members.join(',')} --ensemble-weights ${counts.filter((c) => c > 0).join(',')} --split test`;
  return { dirs, counts, valid, command };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['candidates', 'rounds', 'data', 'limit', 'help']);
  if (args.help) return console.log(USAGE);
  const dirs = stringArg(args, 'candidates', '').split(',').filter((d) => d.length > 0);
  if (dirs.length === 0) throw new UsageError('--candidates needs one or more comma-separated weight folders');
  const dataset = await loadDataset(stringArg(args, 'data', FOOD_KITCHEN_DIR));
  const choice = await chooseEnsemble(dataset, dirs, { rounds: numberArg(args, 'rounds', 6), limit: numberArg(args, 'limit', Infinity), log: console.log });
  console.log(`evaluate it: ${choice.command}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  runCli(main, USAGE);
}

/**
 * The settings search end to end, as a store owner runs it (`npm run train -- --data DIR
 * --out WDIR --budget-minutes M`) on a tiny three-domain store: every candidate and its valid
 * score land in the manifest and report.json, the test files are never opened (the store's
 * are broken here), and under --init the starting weights are kept when nothing beats them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import { prepareDataset } from './prepare/prepare-dataset.ts';
import { syntheticStore, toCsv } from './prepare/store-variants.ts';
import type { NewItemScaleChoice } from './cold-start.ts';
import { SEARCH_METRIC, sliceClock, type SearchRecord } from './train-search.ts';
import { SEARCH_DEFAULTS } from '../src/model/settings-search.ts';

const train = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

interface Saved {
  readonly config: { newItemScale: number };
  readonly training: { search: SearchRecord; initial?: unknown; command: string; newItemScale: NewItemScaleChoice };
}
const manifestOf = async (dir: string): Promise<Saved> =>
  (JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { userDefinedMetadata: { hafrec: Saved } }).userDefinedMetadata.hafrec;

let dir: string;
let data: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hafrec-search-'));
  const store = syntheticStore({ domains: ['books', 'music', 'toys'], itemsPerDomain: 30, shoppers: 80, length: 10 });
  await writeFile(join(dir, 'catalog.json'), JSON.stringify(store.catalog.map((i) => (i.domain === 'music' ? { id: i.id, domain: i.domain } : i))));
  await writeFile(join(dir, 'events.csv'), toCsv(store.events));
  data = join(dir, 'data');
  await prepareDataset({ catalog: join(dir, 'catalog.json'), events: [join(dir, 'events.csv')], out: data, log: () => undefined });
  // Test is sealed for training: one test file gone, the other garbage (SHA256SUMS still names both).
  await unlink(join(data, 'test.tsv'));
  await writeFile(join(data, 'test_negatives.tsv'), 'not\ta dataset file\n');
});

const TINY = ['--text-dim', '32'];

describe('npm run train -- --budget-minutes (settings search on valid)', () => {
  it('records every candidate with its valid score, within the budget, never opening the test files', async () => {
    await expect(loadDataset(data)).rejects.toThrow(/test/); // the test split really is unreadable
    const out = join(dir, 'searched');
    const run = await train(['--data', data, '--out', out, '--budget-minutes', '0.3', ...TINY]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/settings search on valid, budget 0\.3 min/);
    expect(run.stdout).not.toMatch(/on test/);
    const { search } = (await manifestOf(out)).training;
    expect(search.metric).toBe(SEARCH_METRIC);
    const halving = search.candidates.filter((c) => c.restartOf === undefined);
    expect(halving.length).toBe(search.plan.candidates);
    expect(search.plan.candidates).toBeGreaterThanOrEqual(2);
    for (const c of search.candidates) {
      expect(Number.isFinite(c.valid)).toBe(true);
      expect(c.slices.length).toBeGreaterThan(0);
      for (const s of c.slices) expect(s.valid).toBeGreaterThanOrEqual(0);
      expect(c.settings).toMatchObject({ learningRate: expect.any(Number), batchPositions: expect.any(Number), dim: expect.any(Number), dropout: expect.any(Number) });
    }
    const winner = search.candidates.find((c) => c.id === search.winner)!;
    expect(winner.outcome).toBe('winner');
    expect(winner.slices.at(-1)!.rung).toBe('final');
    expect(halving.filter((c) => c.outcome.startsWith('dropped after rung')).length).toBe(halving.length - 1);
    // Budget left after early stopping went to restarts of the halving's winner: same settings,
    // trained in one final slice from a new seed; all but the best say what beat them.
    const halvingWinner = halving.find((c) => !c.outcome.startsWith('dropped after rung'))!;
    for (const r of search.candidates.filter((c) => c.restartOf !== undefined)) {
      expect(r.restartOf).toBe(halvingWinner.id);
      expect(r.settings).toEqual(halvingWinner.settings);
      expect(r.slices.map((slice) => slice.rung)).toEqual(['final']);
    }
    for (const c of [halvingWinner, ...search.candidates.filter((c) => c.restartOf !== undefined)]) {
      if (c !== winner) expect(c.outcome).toMatch(/lower on valid than candidate \d+/);
    }
    expect(winner.valid).toBe(Math.max(...search.candidates.map((c) => c.valid!)));
    expect(search.seconds!).toBeLessThan(0.3 * 60 + 5);
    type Ndcg = { sampled: { overall: { 'NDCG@10': number } } };
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { search: SearchRecord; valid: Ndcg; newProducts: Ndcg };
    expect(report.search.winner).toBe(search.winner);
    // The winner's score is the search's metric (as trained: new-item scale 1); then the scale is
    // chosen by the same metric, and the saved model and its report are at the chosen scale.
    const saved = await manifestOf(out);
    const scales = saved.training.newItemScale;
    expect(scales.metric).toBe(SEARCH_METRIC);
    expect(scales.candidates.find((c) => c.scale === 1)!.score).toBeCloseTo(winner.valid!, 6);
    const chosen = scales.candidates.find((c) => c.scale === scales.scale)!;
    expect(chosen.score).toBe(Math.max(...scales.candidates.map((c) => c.score)));
    expect(saved.config.newItemScale).toBe(scales.scale);
    const w = SEARCH_DEFAULTS.newProductWeight;
    expect((1 - w) * report.valid.sampled.overall['NDCG@10'] + w * report.newProducts.sampled.overall['NDCG@10']).toBeCloseTo(chosen.score, 6);
  }, 120_000);

  it('keeps the --init checkpoint when no candidate beats it on valid', async () => {
    const init = join(dir, 'searched');
    const out = join(dir, 'kept');
    // A budget too small to rank two candidates, one batch an epoch: the one scratch candidate cannot catch up.
    const run = await train(['--data', data, '--out', out, '--init', init, '--budget-minutes', '0.02', '--max-batches', '1']);
    expect(run.code, run.stderr).toBe(0);
    const saved = (await manifestOf(out)).training;
    const { search } = saved;
    expect(search.candidates.map((c) => c.from)).toEqual(['init-as-is', 'scratch']);
    expect(search.winner).toBe(0);
    expect(search.reason).toMatch(/the --init weights \(valid [\d.]+\) were not beaten/);
    expect(search.candidates[0]!.valid!).toBeGreaterThan(search.candidates[1]!.valid!);
    expect(saved.initial).toMatchObject({ search: { winner: expect.any(Number) } });
    // The very same weights, re-saved.
    expect(await readFile(join(out, 'weights.bin'))).toEqual(await readFile(join(init, 'weights.bin')));
  }, 120_000);

  it('continues from --init as one more candidate and replaces weights that are beaten', async () => {
    const weak = join(dir, 'weak');
    const made = await train(['--data', data, '--out', weak, '--epochs', '1', '--max-batches', '1', '--lr', '0.00001', '--dim', '16', ...TINY]);
    expect(made.code, made.stderr).toBe(0);
    const out = join(dir, 'beaten');
    const run = await train(['--data', data, '--out', out, '--init', weak, '--budget-minutes', '0.3']);
    expect(run.code, run.stderr).toBe(0);
    const { search } = (await manifestOf(out)).training;
    expect(search.candidates[0]).toMatchObject({ from: 'init-as-is', outcome: 'the --init weights, beaten' });
    // The last of the halving's candidates (restarts, if budget was left, come after them).
    expect(search.candidates.filter((c) => c.restartOf === undefined).at(-1)).toMatchObject({ from: 'init', settings: { dim: 16 } });
    expect(search.winner).not.toBe(0);
    expect(search.candidates.find((c) => c.id === search.winner)!.valid!).toBeGreaterThan(search.candidates[0]!.valid!);
  }, 120_000);

  it('rejects recipe flags the search chooses itself, naming both ways out', async () => {
    const run = await train(['--data', data, '--out', join(dir, 'x'), '--budget-minutes', '1', '--epochs', '3']);
    expect(run.code).toBe(2); // usage errors exit 2 (scripts/cli.ts)
    expect(run.stderr).toMatch(/UsageError: --epochs fixes what the settings search chooses: drop --epochs, or drop --budget-minutes/);
    const bad = await train(['--data', data, '--budget-minutes', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--budget-minutes must be a positive number of minutes/);
  }, 60_000);
});

describe('sliceClock', () => {
  it('counts this process\'s CPU time, and half the wall-clock time when that is more (an idle or starved process)', async () => {
    const clock = sliceClock();
    const t0 = performance.now();
    while (performance.now() - t0 < 100); // busy: CPU time runs with the wall clock
    expect(clock()).toBeGreaterThan(0.05);
    const busy = clock();
    await new Promise((resolve) => setTimeout(resolve, 400)); // idle: only the wall-clock bound moves it
    expect(clock()).toBeGreaterThanOrEqual(0.25);
    expect(clock()).toBeLessThan(busy + 0.4);
  });
});

/**
 * The data CLIs end to end, as a store owner runs them: prepare a small three-domain store
 * (one domain without titles), train a tiny HAF for a few steps on it, evaluate on valid;
 * and every typed error is one line with a non-zero exit code, never a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { startedByLifecycle } from './prepare-entry.mjs';
import { syntheticStore, toCsv } from './prepare/store-variants.ts';

const run = async (script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const MUSIC = 'Musik & Noten, "Vinyl" 音楽';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hafrec-cli-'));
  // A shop's own domain names: punctuation, quotes and non-Latin letters included.
  const store = syntheticStore({ domains: ['books', MUSIC, 'toys'], itemsPerDomain: 30, shoppers: 80, length: 10 });
  await writeFile(join(dir, 'catalog.json'), JSON.stringify(store.catalog.map((i) => (i.domain === MUSIC ? { id: i.id, domain: i.domain } : i))));
  await writeFile(join(dir, 'events.csv'), toCsv(store.events));
});

describe('prepare -> train --data -> eval --data', () => {
  it('runs on a store it has never seen, on valid only', async () => {
    const data = join(dir, 'data');
    const prepared = await run('prepare.ts', ['--catalog', join(dir, 'catalog.json'), '--events', join(dir, 'events.csv'), '--out', data]);
    expect(prepared.stdout).toMatch(/shoppers: 80 seen, 0 too short dropped \(0 interactions\), 80 kept/);
    const weights = join(dir, 'w');
    const trained = await run('train.ts', ['--data', data, '--out', weights, '--epochs', '1', '--max-batches', '3', '--dim', '16', '--text-dim', '32', '--batch', '64']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/on valid/);
    expect(trained.stdout).not.toMatch(/on test/);
    const evaluated = await run('eval.ts', ['--data', data, '--model', 'haf', '--weights', weights, '--split', 'valid', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { sampled: Record<string, { n: number }> };
    expect(Object.keys(report.sampled)).toEqual(['books', MUSIC, 'toys', 'overall']);
    expect(report.sampled.overall!.n).toBe(80);
  }, 240_000);
});

describe('CLI errors', () => {
  it('are one line naming the problem, with a non-zero exit code and no stack trace', async () => {
    const cases = [
      await run('prepare.ts', ['--catalog', join(dir, 'nope.json'), '--events', join(dir, 'events.csv'), '--out', join(dir, 'x')]),
      await run('prepare.ts', ['--catalog', join(dir, 'catalog.json'), '--events', join(dir, 'events.txt'), '--out', join(dir, 'y')]),
      await run('train.ts', ['--data', join(dir, 'missing')]),
      await run('eval.ts', ['--data', dir, '--model', 'cooccurrence']),
    ];
    expect(cases.map((c) => c.code)).toEqual([1, 1, 1, 1]);
    expect(cases[0]!.stderr).toMatch(/MissingFileError: .*nope\.json not found: --catalog names it/);
    expect(cases[1]!.stderr).toMatch(/DataFormatError: .*events\.txt:0: unknown events format: name the file \.jsonl/);
    expect(cases[2]!.stderr).toMatch(/MissingFileError: .*missing\/dataset\.json not found/);
    expect(cases[3]!.stderr).toMatch(/MissingFileError: .*dataset\.json not found/);
    for (const c of cases) expect(c.stderr).not.toMatch(/\n\s+at /);
    const usage = await run('prepare.ts', ['--catalog', 'c.json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/UsageError: --events is required\nusage: npm run prepare/);
  }, 240_000);

  it('prepare does nothing when npm runs it as the install/ci/pack lifecycle step', () => {
    for (const command of ['install', 'ci', 'pack']) expect(startedByLifecycle({ npm_lifecycle_event: 'prepare', npm_command: command }, [])).toBe(true);
    expect(startedByLifecycle({ npm_lifecycle_event: 'prepare', npm_command: 'run' }, [])).toBe(false);
    expect(startedByLifecycle({ npm_lifecycle_event: 'prepare', npm_command: 'run-script' }, [])).toBe(false);
    expect(startedByLifecycle({}, [])).toBe(false);
  });
});

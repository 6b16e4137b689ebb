/**
 * npm run bundle and npm run eval -- --model bundle, as a store owner runs them, on a tiny
 * generated store (test is evaluated here only because this is tiny fixture data).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyStore, type TinyStore } from '../src/bundle/test-fixtures.ts';
import type { HafBundleFile } from '../src/engine/haf-bundle-file.ts';

const run = async (script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

let store: TinyStore;
beforeAll(async () => {
  store = await tinyStore(11);
}, 60_000);

describe('npm run bundle -> npm run eval -- --model bundle', () => {
  it('writes a bundle, prints the grid and the tag, and evaluates it on valid and test', async () => {
    const site = join(store.root, 'site');
    const bundled = await run('bundle.ts', ['--data', store.data, '--weights', store.weights, '--out', site, '--base', '/shop/hafrec/']);
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(bundled.stdout).toMatch(/prior alone: \d\.\d{4} \/ \d\.\d{4}/);
    expect(bundled.stdout).toContain('data-model="/shop/hafrec/model.json"');
    const file = JSON.parse(await readFile(join(site, 'model.json'), 'utf8')) as HafBundleFile;
    const valid = await run('eval.ts', ['--data', store.data, '--model', 'bundle', '--bundle', site, '--split', 'valid', '--json']);
    expect(valid.code, valid.stderr).toBe(0);
    const report = JSON.parse(valid.stdout) as { sampled: Record<string, Record<string, number>> };
    const served = file.blend.candidates.find((c) => c.weight === (file.blend.serves === 'prior' ? null : file.blend.weight))!;
    expect(report.sampled.overall!['NDCG@10']).toBeCloseTo(served.sampledNdcg10, 5);
    const test = await run('eval.ts', ['--data', store.data, '--model', 'bundle', '--bundle', site, '--split', 'test', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect((JSON.parse(test.stdout) as { split: string }).split).toBe('test');
  }, 240_000);

  it('errors are one typed line, never a stack trace', async () => {
    const missing = await run('bundle.ts', ['--weights', store.weights, '--out', join(store.root, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^UsageError: --data is required/);
    const noBundle = await run('eval.ts', ['--data', store.data, '--model', 'bundle', '--split', 'valid']);
    expect(noBundle.stderr).toMatch(/^UsageError: --model bundle needs --bundle SITE/);
    const notASite = await run('eval.ts', ['--data', store.data, '--model', 'bundle', '--bundle', store.root, '--split', 'valid']);
    expect(notASite.code).toBe(1);
    expect(notASite.stderr).toMatch(/^AssetFetchError: could not load the model from .*model\.json: cannot be read \(ENOENT\)/);
    expect(notASite.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { computeDemoReference, type DemoReference } from './demo-reference.ts';
import { computeShippedReference, shippedWeightsHash } from './demo-reference-haf.ts';

const REGENERATE = 'regenerate with: npx tsx e2e/demo-expected.ts';

// e2e/demo-app.spec.ts checks the browser against this committed file; these tests keep the
// file equal to what Node computes now (regenerate with: npx tsx e2e/demo-expected.ts).
describe('demo reference numbers', () => {
  it('e2e/demo-expected.json matches the eval protocol run in Node (co-occurrence)', async () => {
    const { shipped: _, ...committed } = JSON.parse(await readFile('e2e/demo-expected.json', 'utf8')) as DemoReference;
    const fresh = await computeDemoReference(await loadDataset(), committed.users);
    expect(JSON.parse(JSON.stringify(fresh))).toEqual(committed);
    expect(committed.report.full?.overall?.n).toBe(committed.users);
  });

  it('e2e/demo-expected.json holds the CLI numbers of the shipped HAF weights, alone and blended', async () => {
    const { shipped } = JSON.parse(await readFile('e2e/demo-expected.json', 'utf8')) as DemoReference;
    expect(shipped, REGENERATE).toBeDefined();
    expect(shipped!.weights, `the shipped weights changed: ${REGENERATE}`).toBe(await shippedWeightsHash());
    const fresh = await computeShippedReference(await loadDataset(), shipped!.users);
    expect(JSON.parse(JSON.stringify(fresh))).toEqual(shipped);
    expect(shipped!.reports.haf.full?.overall?.n).toBe(shipped!.users);
  }, 120_000);
});

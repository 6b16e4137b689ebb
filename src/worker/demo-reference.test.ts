import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadFoodKitchen } from '../catalog/food-kitchen.ts';
import { computeDemoReference, type DemoReference } from './demo-reference.ts';

// e2e/demo.spec.ts checks the browser against this committed file; this test keeps the file
// equal to what Node computes now (regenerate with: npx tsx e2e/demo-expected.ts).
describe('demo reference numbers', () => {
  it('e2e/demo-expected.json matches the eval protocol run in Node', async () => {
    const committed = JSON.parse(await readFile('e2e/demo-expected.json', 'utf8')) as DemoReference;
    const fresh = await computeDemoReference(await loadFoodKitchen(), committed.users);
    expect(JSON.parse(JSON.stringify(fresh))).toEqual(committed);
    expect(committed.report.full?.overall?.n).toBe(committed.users);
  });
});

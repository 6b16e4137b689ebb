/**
 * Writes e2e/demo-expected.json: run `npx tsx e2e/demo-expected.ts` after changing the protocol,
 * the data or the shipped HAF weights (public/models/haf-food-kitchen/).
 */
import { writeFile } from 'node:fs/promises';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import { computeDemoReference } from '../scripts/demo-reference/demo-reference.ts';
import { computeShippedReference } from '../scripts/demo-reference/demo-reference-haf.ts';

const dataset = await loadDataset();
const reference = { ...(await computeDemoReference(dataset)), shipped: await computeShippedReference(dataset) };
await writeFile('e2e/demo-expected.json', `${JSON.stringify(reference, null, 2)}\n`);
console.log(`wrote e2e/demo-expected.json (co-occurrence: ${reference.users} test shoppers; shipped HAF and blend: ${reference.shipped.users})`);

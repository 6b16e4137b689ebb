/** Writes e2e/demo-expected.json: run `npx tsx e2e/demo-expected.ts` after changing the protocol or data. */
import { writeFile } from 'node:fs/promises';
import { loadFoodKitchen } from '../src/catalog/food-kitchen.ts';
import { computeDemoReference } from '../src/worker/demo-reference.ts';

const reference = await computeDemoReference(await loadFoodKitchen());
await writeFile('e2e/demo-expected.json', `${JSON.stringify(reference, null, 2)}\n`);
console.log(`wrote e2e/demo-expected.json (${reference.users} test shoppers)`);

/**
 * npx tsx scripts/prepare/variant-store.ts --from DATASET_DIR --out DIR [--every K] [--untitled DOMAIN,...]
 * Writes a store another shop might have (DIR/catalog.json + DIR/events.csv) from a dataset's
 * catalog and TRAINING sequences (its test files are never read): every K-th shopper only
 * (a K-times sparser log), titles removed from some domains. Then:
 * npm run prepare -- --catalog DIR/catalog.json --events DIR/events.csv --out DIR/data
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrainingData } from '../../src/catalog/dataset-load.ts';
import { numberArg, parseArgs, stringArg, UsageError } from '../args.ts';
import { runCli } from '../cli.ts';
import { storeFromDataset, toCsv } from './store-variants.ts';

const USAGE = 'usage: npx tsx scripts/prepare/variant-store.ts --from DATASET_DIR --out DIR [--every K] [--untitled DOMAIN,...]';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['from', 'out', 'every', 'untitled', 'help']);
  if (args.help) return void console.log(USAGE);
  if (!args.from || !args.out) throw new UsageError('--from DATASET_DIR and --out DIR are required');
  const every = numberArg(args, 'every', 1);
  if (!Number.isInteger(every) || every < 1) throw new UsageError(`--every must be a positive integer; got ${every}`);
  const data = await loadTrainingData(stringArg(args, 'from', ''));
  const untitled = stringArg(args, 'untitled', '').split(',').filter(Boolean);
  const unknown = untitled.find((d) => !data.catalog.domains.includes(d));
  if (unknown) throw new UsageError(`--untitled: unknown domain "${unknown}"; valid domains are ${data.catalog.domains.join(', ')}`);
  const store = storeFromDataset({ ...data, test: [] }, { everyKthShopper: every, untitled });
  const out = stringArg(args, 'out', '');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'catalog.json'), JSON.stringify(store.catalog));
  await writeFile(join(out, 'events.csv'), toCsv(store.events));
  console.log(`wrote ${store.catalog.length} items and ${store.events.length} events to ${out}`);
}

runCli(main, USAGE);

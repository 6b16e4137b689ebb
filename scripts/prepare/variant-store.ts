/**
 * npx tsx scripts/prepare/variant-store.ts --from DATASET_DIR --out DIR [--every K] [--offset R]
 *   [--rename OLD=NEW,...] [--split DOMAIN=A,B,...] [--untitled DOMAIN,...] [--extra-items DOMAIN=N]
 * Writes a store another shop might have (DIR/catalog.json + DIR/events.csv) from a dataset's
 * catalog and TRAINING sequences (its test files are never read): every K-th shopper only
 * (a K-times sparser log; --offset R keeps the R-th of every K instead of the first: another
 * store of the same size, with other shoppers), domains renamed, one domain split into several
 * (its items dealt round-robin by index: three or more domains), titles removed from some (new)
 * domains, N untitled catalog-only items nobody bought added to one (new) domain (a larger
 * catalog). Then:
 * npm run prepare -- --catalog DIR/catalog.json --events DIR/events.csv --out DIR/data
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrainingData } from '../../src/catalog/dataset-load.ts';
import { numberArg, parseArgs, stringArg, UsageError } from '../args.ts';
import { runCli } from '../cli.ts';
import { domainMapping, storeFromDataset, toCsv } from './store-variants.ts';

const USAGE =
  'usage: npx tsx scripts/prepare/variant-store.ts --from DATASET_DIR --out DIR [--every K] [--offset R] [--rename OLD=NEW,...] [--split DOMAIN=A,B,...] [--untitled DOMAIN,...] [--extra-items DOMAIN=N]';


async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['from', 'out', 'every', 'offset', 'rename', 'split', 'untitled', 'extra-items', 'help']);
  if (args.help) return void console.log(USAGE);
  if (!args.from || !args.out) throw new UsageError('--from DATASET_DIR and --out DIR are required');
  const every = numberArg(args, 'every', 1);
  if (!Number.isInteger(every) || every < 1) throw new UsageError(`--every must be a positive integer; got ${every}`);
  const offset = numberArg(args, 'offset', 0);
  if (!Number.isInteger(offset) || offset < 0 || offset >= every) throw new UsageError(`--offset must be an integer from 0 to ${every - 1} (--every ${every}); got ${offset}`);
  const data = await loadTrainingData(stringArg(args, 'from', ''));
  const domainOf = domainMapping(stringArg(args, 'rename', ''), stringArg(args, 'split', ''), data.catalog.domains);
  const newDomains = new Set(data.catalog.items.map((item, p) => domainOf(item.domain, p + 1)));
  const untitled = stringArg(args, 'untitled', '').split(',').filter(Boolean);
  const unknown = untitled.find((d) => !newDomains.has(d));
  if (unknown) throw new UsageError(`--untitled: unknown domain "${unknown}"; the store's domains are ${[...newDomains].join(', ')}`);
  const extraItems = extraItemsArg(stringArg(args, 'extra-items', ''), newDomains);
  const store = storeFromDataset({ ...data, test: [] }, { everyKthShopper: every, shopperOffset: offset, untitled, domainOf, ...(extraItems ? { extraItems } : {}) });
  const out = stringArg(args, 'out', '');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'catalog.json'), JSON.stringify(store.catalog));
  await writeFile(join(out, 'events.csv'), toCsv(store.events));
  console.log(`wrote ${store.catalog.length} items and ${store.events.length} events to ${out}`);
}

/** `--extra-items DOMAIN=N`: N catalog-only items in one of the store's (new) domains. */
function extraItemsArg(raw: string, domains: ReadonlySet<string>): { domain: string; count: number } | undefined {
  if (!raw) return undefined;
  const [domain = '', n = ''] = raw.split('=');
  const count = Number(n);
  if (!domains.has(domain) || !Number.isInteger(count) || count < 1) {
    throw new UsageError(`--extra-items "${raw}": want DOMAIN=N with N a positive integer and DOMAIN one of ${[...domains].join(', ')}`);
  }
  return { domain, count };
}

runCli(main, USAGE);

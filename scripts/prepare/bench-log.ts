/**
 * Writes a synthetic store for the prepare benchmark (BENCHMARKS.md, "npm run prepare on a
 * multi-million-event log"): DIR/catalog.json and DIR/events.jsonl, streamed.
 *   npx tsx scripts/prepare/bench-log.ts --out DIR [--shoppers 30000] [--length 100] [--items 20000]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { numberArg, parseArgs, stringArg, UsageError } from '../args.ts';
import { runCli } from '../cli.ts';
import { syntheticCatalog, syntheticEvents, writeJsonl } from './store-variants.ts';

const USAGE = 'usage: npx tsx scripts/prepare/bench-log.ts --out DIR [--shoppers N] [--length N] [--items N (per domain)]';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['out', 'shoppers', 'length', 'items', 'help']);
  if (args.help) return void console.log(USAGE);
  if (typeof args.out !== 'string') throw new UsageError('--out is required');
  const out = stringArg(args, 'out', '');
  const options = { domains: ['grocery', 'home', 'garden'], itemsPerDomain: numberArg(args, 'items', 20_000), shoppers: numberArg(args, 'shoppers', 30_000), length: numberArg(args, 'length', 100) };
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'catalog.json'), JSON.stringify(syntheticCatalog(options)));
  await writeJsonl(join(out, 'events.jsonl'), syntheticEvents(options));
  console.log(`wrote ${out}/catalog.json (${options.domains.length * options.itemsPerDomain} items) and events.jsonl (${options.shoppers * options.length} events)`);
}

runCli(main, USAGE);

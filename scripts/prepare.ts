/**
 * npm run prepare -- --catalog catalog.json --events events.jsonl|events.csv|export.json[,more...]
 *   --out DIR [--seed N] [--skip-bad] [--min-length N] [--negatives N] [--types a,b] [--name NAME]
 * Builds a dataset folder (docs/data-format.md) from a store's catalog and interaction log.
 * npm reaches it through scripts/prepare-entry.mjs, which skips npm's own `prepare` lifecycle step.
 */
import { parseArgs, numberArg, stringArg, UsageError } from './args.ts';
import { runCli } from './cli.ts';
import { prepareDataset } from './prepare/prepare-dataset.ts';
import { formatSummary } from './prepare/summary.ts';

const FLAGS = ['catalog', 'events', 'out', 'seed', 'skip-bad', 'min-length', 'negatives', 'types', 'name', 'help'] as const;
const USAGE =
  'usage: npm run prepare -- --catalog catalog.json --events events.jsonl|events.csv|hafrec-history.json[,more] --out DIR ' +
  '[--seed N (1)] [--skip-bad] [--min-length N (3)] [--negatives N (999)] [--types purchase,add_to_cart (all)] [--name NAME (the folder name)]';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), FLAGS);
  if (args.help) return void console.log(USAGE);
  for (const required of ['catalog', 'events', 'out']) {
    if (typeof args[required] !== 'string') throw new UsageError(`--${required} is required`);
  }
  const seed = numberArg(args, 'seed', 1);
  const minLength = numberArg(args, 'min-length', 3);
  const negatives = numberArg(args, 'negatives', 999);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer; got ${seed}`);
  if (!Number.isInteger(minLength) || minLength < 3) throw new UsageError(`--min-length must be an integer >= 3 (train, valid and test need one interaction each); got ${minLength}`);
  if (!Number.isInteger(negatives) || negatives < 1) throw new UsageError(`--negatives must be an integer >= 1; got ${negatives}`);
  const summary = await prepareDataset({
    catalog: stringArg(args, 'catalog', ''),
    events: stringArg(args, 'events', '').split(',').filter((f) => f !== ''),
    out: stringArg(args, 'out', ''),
    seed,
    minLength,
    negatives,
    skipBad: Boolean(args['skip-bad']),
    ...(args.types ? { types: stringArg(args, 'types', '').split(',') } : {}),
    ...(args.name ? { name: stringArg(args, 'name', '') } : {}),
    log: (line) => console.error(line),
  });
  console.log(formatSummary(summary));
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`wrote ${stringArg(args, 'out', '')} (dataset.json, items, train, valid, test, negatives, SHA256SUMS); peak RSS ${peakMb.toFixed(0)} MB`);
}

runCli(main, USAGE);

import { writeFile } from 'node:fs/promises';
import { FOOD_KITCHEN_DIR, loadDataset } from '../src/catalog/dataset-load.ts';
import { SPLITS } from '../src/catalog/types.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { excludeHistory } from '../src/eval/exclude-history.ts';
import { formatIntervals, formatReport } from '../src/eval/report-table.ts';
import { compareReports, INTERVAL_METRIC, reportIntervals } from '../src/eval/intervals.ts';
import type { EvalReport } from '../src/eval/evaluate.ts';
import type { Dataset } from '../src/catalog/types.ts';
import { createRng } from '../src/model/rng.ts';
import { choiceArg, numberArg, parseArgs, stringArg, type Args } from './args.ts';
import { MODELS } from './models.ts';
import { runCli } from './cli.ts';

const USAGE = `usage: npm run eval -- --model ${Object.keys(MODELS).join('|')} [--split valid|test] [--json [out.json]] (bare --json prints JSON to stdout) [--no-full] [--limit N] [--data DIR] (a dataset folder, default ${FOOD_KITCHEN_DIR}) [--weights dir] (haf-ensemble: dir,dir,... with --ensemble-weights w,w,...) [--backend wasm|webgpu|cpu] [--blend-weight w] [--bundle SITE] (--model bundle: a folder written by npm run bundle, evaluated as the storefront worker loads it) [--exclude-history] (rank the shopper's own history last, as the demo and the storefront show it) [--compare MODEL] (the paired NDCG@10 difference to another model on the same shoppers) [--bootstrap-seed N]`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['model', 'split', 'json', 'no-full', 'data', 'weights', 'backend', 'blend-weight', 'ensemble-weights', 'limit', 'exclude-history', 'bundle', 'compare', 'bootstrap-seed', 'help']);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const name = choiceArg(args, 'model', Object.keys(MODELS), 'popularity');
  const split = choiceArg(args, 'split', SPLITS, 'test');
  const compare = args.compare === undefined ? undefined : choiceArg(args, 'compare', Object.keys(MODELS), 'cooccurrence');
  const dataset = await loadDataset(stringArg(args, 'data', FOOD_KITCHEN_DIR));
  const report = await evaluateModel(name, dataset, split, args);
  const other = compare === undefined ? undefined : await evaluateModel(compare, dataset, split, args);
  const bootstrap = { random: createRng(numberArg(args, 'bootstrap-seed', 1)).next, resamples: 1000 };
  // Bare --json: machine-readable stdout, the human tables go to stderr.
  const print = args.json === true ? console.error : console.log;
  for (const r of other ? [report, other] : [report]) {
    print(`${formatReport(r)}\n${formatIntervals(`${INTERVAL_METRIC} with 95% bootstrap intervals over ${r.ranks.domains.length} shoppers:`, reportIntervals(r, bootstrap))}\n`);
  }
  if (other) print(formatIntervals(`${INTERVAL_METRIC} of ${report.model} minus ${other.model}, paired over the same shoppers:`, compareReports(report, other, bootstrap)));
  const json = `${JSON.stringify(other ? { ...report, compare: other } : report, null, 2)}\n`;
  if (args.json === true) process.stdout.write(json);
  else if (args.json) {
    await writeFile(args.json, json);
    print(`wrote ${args.json}`);
  }
}

/** One model on the split's shoppers (the first --limit N only, labelled as such: a quick look, not a protocol number). */
async function evaluateModel(name: string, dataset: Dataset, split: (typeof SPLITS)[number], args: Args): Promise<EvalReport> {
  const model = await MODELS[name]!(dataset, args);
  const recommender = args['exclude-history'] ? excludeHistory(model, dataset.catalog) : model;
  try {
    const cases = dataset[split].slice(0, numberArg(args, 'limit', Infinity));
    const label = cases.length < dataset[split].length ? `${split}[:${cases.length}]` : split;
    return await evaluate(recommender, dataset.catalog, cases, { split: label, full: !args['no-full'] });
  } finally {
    recommender.dispose();
  }
}

runCli(main, USAGE);

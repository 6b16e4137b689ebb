import { writeFile } from 'node:fs/promises';
import { FOOD_KITCHEN_DIR, loadDataset } from '../src/catalog/dataset-load.ts';
import { SPLITS } from '../src/catalog/types.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { excludeHistory } from '../src/eval/exclude-history.ts';
import { formatReport } from '../src/eval/report-table.ts';
import { choiceArg, numberArg, parseArgs, stringArg } from './args.ts';
import { MODELS } from './models.ts';
import { runCli } from './cli.ts';

const USAGE = `usage: npm run eval -- --model ${Object.keys(MODELS).join('|')} [--split valid|test] [--json [out.json]] (bare --json prints JSON to stdout) [--no-full] [--limit N] [--data DIR] (a dataset folder, default ${FOOD_KITCHEN_DIR}) [--weights dir] (haf-ensemble: dir,dir,... with --ensemble-weights w,w,...) [--backend wasm|webgpu|cpu] [--blend-weight w] [--bundle SITE] (--model bundle: a folder written by npm run bundle, evaluated as the storefront worker loads it) [--exclude-history] (rank the shopper's own history last, as the demo and the storefront show it)`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['model', 'split', 'json', 'no-full', 'data', 'weights', 'backend', 'blend-weight', 'ensemble-weights', 'limit', 'exclude-history', 'bundle', 'help']);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const name = choiceArg(args, 'model', Object.keys(MODELS), 'popularity');
  const split = choiceArg(args, 'split', SPLITS, 'test');
  const dataset = await loadDataset(stringArg(args, 'data', FOOD_KITCHEN_DIR));
  const model = await MODELS[name]!(dataset, args);
  const recommender = args['exclude-history'] ? excludeHistory(model, dataset.catalog) : model;
  try {
    // --limit N: the first N shoppers only, labelled as such (a quick look, not a protocol number).
    const limit = numberArg(args, 'limit', Infinity);
    const cases = dataset[split].slice(0, limit);
    const label = cases.length < dataset[split].length ? `${split}[:${cases.length}]` : split;
    const report = await evaluate(recommender, dataset.catalog, cases, { split: label, full: !args['no-full'] });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (args.json === true) {
      // Bare --json: machine-readable stdout, the human table goes to stderr.
      console.error(formatReport(report));
      process.stdout.write(json);
      return;
    }
    console.log(formatReport(report));
    if (args.json) {
      await writeFile(args.json, json);
      console.log(`wrote ${args.json}`);
    }
  } finally {
    recommender.dispose();
  }
}

runCli(main, USAGE);

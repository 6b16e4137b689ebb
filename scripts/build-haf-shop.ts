/**
 * Builds the real-size fixture shop in public/shop/ the way a store owner would, through the
 * pipeline: Food-Kitchen exported as a raw storefront catalog + event log
 * (scripts/storefront/export-store.ts), `prepare` -> a dataset folder, `bundle` with the
 * shipped HAF weights (public/models/haf-food-kitchen, rows mapped by item id), then the shop's
 * pages (home, one page per domain, the privacy page and ONE product page template).
 * Usage: npx tsx scripts/build-haf-shop.ts [--out public/shop] [--work bench-results/tmp/haf-shop] [--quantize uint8] [--top 20] [--valid-sample 2000] [--pages-only] (rewrite the pages only)
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import { createCatalog } from '../src/catalog/catalog.ts';
import { parseCatalogJson } from '../src/catalog/catalog-json.ts';
import { writeBundle } from '../src/bundle/bundle-write.ts';
import { QUANTIZATIONS } from '../src/model/quantize.ts';
import { choiceArg, numberArg, parseArgs, stringArg } from './args.ts';
import { runCli } from './cli.ts';
import { prepareDataset } from './prepare/prepare-dataset.ts';
import { formatSummary } from './prepare/summary.ts';
import { storeCatalog, writeEventLog } from './storefront/export-store.ts';
import { writeShopPages } from './storefront/shop-pages.ts';

const WEIGHTS = 'public/models/haf-food-kitchen';
const USAGE = 'usage: npx tsx scripts/build-haf-shop.ts [--out public/shop] [--work bench-results/tmp/haf-shop] [--quantize uint8] [--top 20] [--valid-sample 2000] [--pages-only]';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['out', 'work', 'quantize', 'top', 'valid-sample', 'pages-only', 'help']);
  if (args.help) return void console.log(USAGE);
  const out = stringArg(args, 'out', 'public/shop');
  const work = stringArg(args, 'work', 'bench-results/tmp/haf-shop');
  if (args['pages-only']) return writeShopPages(createCatalog('hafrec-shop', parseCatalogJson(JSON.parse(await readFile(join(out, 'catalog.json'), 'utf8')), 'catalog.json').items), out);
  const top = numberArg(args, 'top', 20);
  const validSample = numberArg(args, 'valid-sample', 2000);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const source = await loadDataset();
  const items = storeCatalog(source);
  await writeFile(join(work, 'catalog.json'), `${JSON.stringify({ items })}\n`);
  const lines = await writeEventLog(source, join(work, 'events.jsonl'));
  console.log(`${work}: catalog.json (${items.length} items), events.jsonl (${lines} events)`);
  const summary = await prepareDataset({ catalog: join(work, 'catalog.json'), events: [join(work, 'events.jsonl')], out: join(work, 'dataset'), name: 'food-kitchen', log: (l) => console.log(l) });
  console.log(formatSummary(summary));
  // The shop's own files (shop.js, shop.css, shop-logo.svg) stay; the bundle's files are rewritten.
  await rm(join(out, 'prior.json'), { force: true });
  const bundle = await writeBundle({
    data: join(work, 'dataset'),
    weights: WEIGHTS,
    out,
    quantization: choiceArg(args, 'quantize', QUANTIZATIONS, 'uint8'),
    priorTop: top,
    validSample,
    // The shipped weights were trained on Food-Kitchen's train split: the valid item of a
    // training shopper is one they learned. The blend is chosen on the other shoppers only.
    validUsers: (user) => !user.startsWith('train:'),
    log: (l) => console.log(l),
  });
  for (const c of bundle.file.blend.candidates) console.log(`  valid ${c.weight === null ? 'prior alone' : `w = ${c.weight}`}: sampled ${c.sampledNdcg10} / full ${c.fullNdcg10}`);
  console.log(`serves ${bundle.file.blend.serves} (weight ${bundle.file.blend.weight}); ${bundle.files.map((f) => `${f.path} ${f.bytes} B`).join(', ')}`);
  await writeShopPages(createCatalog('hafrec-shop', items), out);
}

runCli(main, USAGE);

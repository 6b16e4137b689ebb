/**
 * Builds the small co-occurrence shop in public/shop-cooc/: a catalog of 48 real Food-Kitchen
 * items, a co-occurrence model counted on the Food-Kitchen training split, and the same pages
 * as the real-size shop (public/shop, scripts/build-haf-shop.ts): home, domains, privacy and the
 * one product page template, with the shop's script and style copied from public/shop.
 * Usage: npx tsx scripts/build-storefront.ts [--per-domain 24] [--out public/shop-cooc]
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import { countTransitions, DEFAULT_COOCCURRENCE } from '../src/eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../src/eval/baselines/popularity.ts';
import { writeCooccurrenceFile } from '../src/engine/model-file.ts';
import { parseArgs, stringArg } from './args.ts';
import { restrictCounts, restrictTable, selectShopItems, shopCatalog } from './storefront/select-items.ts';
import { writeShopPages } from './storefront/shop-pages.ts';

const SHOP_FILES = ['shop.js', 'shop.css', 'shop-logo.svg'];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['per-domain', 'out']);
  const perDomain = Number(stringArg(args, 'per-domain', '24'));
  const out = stringArg(args, 'out', 'public/shop-cooc');
  const dataset = await loadDataset();
  const shop = shopCatalog(dataset.catalog, selectShopItems(dataset, perDomain));
  // Transitions are counted on the full training split, then restricted: the shop's items keep
  // the co-occurrence they have in the real data, not one distorted by dropping other items.
  const table = countTransitions(dataset.catalog.size, dataset.train, DEFAULT_COOCCURRENCE);
  const counts = countOccurrences(dataset.catalog, dataset.train);
  const model = writeCooccurrenceFile(
    shop,
    restrictTable(table, dataset.catalog, shop),
    restrictCounts(counts, dataset.catalog, shop),
    DEFAULT_COOCCURRENCE,
    'Food-Kitchen train.tsv, scripts/build-storefront.ts',
  );
  await mkdir(out, { recursive: true });
  const write = (file: string, text: string) => writeFile(join(out, file), text);
  await write('catalog.json', `${JSON.stringify({ items: shop.items }, null, 1)}\n`);
  await write('model.json', `${JSON.stringify(model)}\n`);
  await writeShopPages(shop, out, perDomain);
  for (const file of SHOP_FILES) await copyFile(join('public/shop', file), join(out, file));
  console.log(`${out}: ${shop.size} items (${shop.domains.join(', ')}), ${model.targets.length} transitions`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});

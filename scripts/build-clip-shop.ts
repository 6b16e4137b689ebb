/**
 * Builds public/shop-clip/: a small shop whose HAF bundle was trained with tiny-clip features
 * (the random-weight CLIP fixture, image + text), for the browser test of CLIP in the tag
 * (e2e/storefront-clip.spec.ts). The whole pipeline a store owner runs:
 *   synthetic store -> prepare -> npm run embed (tiny-clip) -> npm run train --features -> npm run bundle --features
 *   npx tsx scripts/build-clip-shop.ts [--out public/shop-clip]
 * Takes about a minute on 2 cores; the result is small (committed, ~100 KB).
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { writeBundle } from '../src/bundle/bundle-write.ts';
import { prepareDataset } from './prepare/prepare-dataset.ts';
import { syntheticStore, toCsv } from './prepare/store-variants.ts';
import { parseArgs, stringArg } from './args.ts';
import { runCli } from './cli.ts';

export const CLIP_SHOP = 'public/shop-clip';
const SHADES: readonly [number, number, number][] = [[200, 40, 40], [40, 160, 60], [50, 70, 200], [220, 200, 40], [120, 40, 160]];

/** A 32 x 32 RGB PNG: a shade with a diagonal stripe (CLIP's fixture reads 32 px images). */
export function shadePng([r, g, b]: readonly [number, number, number]): Buffer {
  const raw = Buffer.alloc(32 * (1 + 32 * 3));
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const stripe = Math.abs(x - y) < 4;
      raw.set(stripe ? [255 - r, 255 - g, 255 - b] : [r, g, b], y * 97 + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(32, 0);
  header.writeUInt32BE(32, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The raw store (catalog.json with images, events.csv) and its shade images, in `dir`. */
async function writeStore(dir: string): Promise<void> {
  const store = syntheticStore({ domains: ['books', 'music'], itemsPerDomain: 16, shoppers: 240, length: 8, seed: 11 });
  const items = store.catalog.map((item, k) => ({ ...item, image: `img/shade-${k % SHADES.length}.png` }));
  await writeFile(join(dir, 'catalog.json'), JSON.stringify({ items }));
  await writeFile(join(dir, 'events.csv'), toCsv(store.events));
}

async function writeImages(dir: string): Promise<void> {
  await mkdir(join(dir, 'img'), { recursive: true });
  await Promise.all(SHADES.map((shade, k) => writeFile(join(dir, 'img', `shade-${k}.png`), shadePng(shade))));
}

const tsx = (script: string, args: readonly string[]): void => void execFileSync('npx', ['tsx', script, ...args], { stdio: 'inherit' });

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['out']);
  const out = stringArg(args, 'out', CLIP_SHOP);
  const root = await mkdtemp(join(tmpdir(), 'hafrec-clip-shop-'));
  const data = join(root, 'data');
  await writeStore(root);
  await prepareDataset({ catalog: join(root, 'catalog.json'), events: [join(root, 'events.csv')], out: data, seed: 11, negatives: 20, name: 'clip-shop' });
  await writeImages(data);
  const features = join(root, 'features.bin');
  tsx('scripts/embed.ts', ['--catalog', data, '--model', 'public/models/tiny-clip', '--out', features, '--modalities', 'text,image']);
  const weights = join(root, 'weights');
  tsx('scripts/train.ts', ['--data', data, '--features', features, '--epochs', '40', '--patience', '8', '--lr', '0.01', '--batch', '128', '--dim', '16', '--blocks', '1', '--negatives', '20', '--out', weights]);
  const site = join(root, 'site');
  const summary = await writeBundle({ data, weights, out: site, features, log: (line) => console.log(line) });
  // On this synthetic store the prior alone wins on valid (every shopper walks to a nearby
  // item id, which co-occurrence counts exactly); the test shop is about CLIP in the tag, so it
  // serves HAF anyway, recorded in model.json (as src/engine/haf-kind.test.ts does).
  const chose = summary.file.blend;
  const file = { ...summary.file, source: 'scripts/build-clip-shop.ts (npm run bundle -- --data DATA --weights WEIGHTS --features tiny-clip.bin)', blend: { ...chose, serves: 'haf+prior', weight: 0.2, rule: `${chose.rule}; then set to HAF + 0.2 x prior by scripts/build-clip-shop.ts (a test shop: valid chose ${chose.serves})` } };
  await writeFile(join(site, 'model.json'), `${JSON.stringify(file)}\n`);
  await copyShop(site, data, out);
  console.log(`${out}: HAF + ${file.blend.weight} x prior; ${summary.files.map((f) => `${f.path} ${f.bytes} B`).join(', ')}`);
  await rm(root, { recursive: true, force: true });
}

/** The bundle's files and the images into `out`; the pages (index.html, no-clip.html, queue.js) are kept. */
async function copyShop(site: string, data: string, out: string): Promise<void> {
  await mkdir(join(out, 'haf'), { recursive: true });
  await mkdir(join(out, 'img'), { recursive: true });
  for (const file of ['catalog.json', 'model.json', 'prior.bin', 'haf/model.json', 'haf/weights.bin', 'haf/items.bin']) await copyFile(join(site, file), join(out, file));
  for (const image of await readdir(join(data, 'img'))) await copyFile(join(data, 'img', image), join(out, 'img', image));
}

runCli(main, 'usage: npx tsx scripts/build-clip-shop.ts [--out public/shop-clip]');

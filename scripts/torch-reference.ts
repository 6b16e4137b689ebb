/**
 * npx tsx scripts/torch-reference.ts --out DIR [--weights DIR] [--shoppers N] [--rows N] [--scores-only]
 * Reference values the PyTorch port (python/hafrec_torch) is tested against, computed by the
 * TypeScript model on Node wasm: scores.json (target + 999 negatives of the first N valid
 * shoppers, through HafRecommender.score), and, unless --scores-only, one training step on
 * --rows train sequences spread over train.tsv with dropout 0: step-full.json (whole-domain softmax) and
 * step-sampled.json (fixed negatives, weight decay 1e-3), each with its loss and the gradient
 * of every parameter in step-<variant>.bin (float32, offsets in the JSON). Valid only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import type { Dataset } from '../src/catalog/types.ts';
import { buildBatch } from '../src/model/batch.ts';
import { batchLoss, candidatesFor } from '../src/model/loss.ts';
import { HafModel } from '../src/model/model.ts';
import { fileHandler, selectNodeBackend } from '../src/model/node.ts';
import { HafRecommender } from '../src/model/recommender.ts';
import { createRng } from '../src/model/rng.ts';
import { loadHaf, readHafArtifacts } from '../src/model/weights-io.ts';
import { numberArg, parseArgs, stringArg, UsageError } from './args.ts';
import { featuresForManifest, SHIPPED_WEIGHTS } from './haf-setup.ts';

const FLAGS = ['out', 'weights', 'shoppers', 'rows', 'scores-only', 'data', 'help'] as const;
const USAGE = 'usage: npx tsx scripts/torch-reference.ts --out DIR [--weights DIR] [--shoppers N] [--rows N] [--scores-only] [--data DIR]';
const SAMPLED_NEGATIVES = 300;

async function scores(recommender: HafRecommender, dataset: Dataset, shoppers: number): Promise<object> {
  const cases = dataset.valid.slice(0, shoppers);
  const rows = await recommender.score(cases.map((c) => ({ history: c.history, domain: c.domain, candidates: Int32Array.from([c.target, ...c.negatives]) })));
  return { split: 'valid', users: cases.map((c) => c.user), scores: rows.map((r) => [...r]) };
}

/** `count` train rows spread evenly over the file (it is grouped by food-only, kitchen-only, both). */
function trainRows(dataset: Dataset, count: number): number[] {
  const stride = Math.max(1, Math.floor(dataset.train.length / count));
  return Array.from({ length: Math.min(count, dataset.train.length) }, (_, i) => i * stride);
}

/** Loss and gradients of one step on `rows` train sequences, dropout 0. */
async function step(model: HafModel, dataset: Dataset, rows: number, negatives: readonly Int32Array[], weightDecay: number): Promise<{ json: object; bin: Uint8Array }> {
  const { catalog } = dataset;
  const sources = trainRows(dataset, rows).map((r) => ({ history: dataset.train[r]!.items }));
  const extra = Int32Array.from(negatives.flatMap((n) => [...n]));
  const batch = buildBatch(sources, { domainOf: catalog.domainOf, domains: catalog.domains.length, maxLength: model.config.maxLength, extraItems: extra });
  const groups = candidatesFor(batch, catalog.domains.length, negatives);
  const run = { training: true, seed: () => 0 };
  const names = [...model.params.keys()];
  const { value, grads } = tf.variableGrads(() => batchLoss(model, batch, groups, run, weightDecay), names.map((n) => model.params.get(n)!));
  const index: { name: string; shape: number[]; offset: number }[] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const name of names) {
    const v = model.params.get(name)!;
    const grad = grads[v.name];
    // A variable the loss does not reach (a view empty in this batch) has gradient zero.
    const g = grad ? ((await grad.data()) as Float32Array) : new Float32Array(v.size);
    index.push({ name, shape: [...v.shape], offset });
    parts.push(g);
    offset += g.length;
  }
  const all = new Float32Array(offset);
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  const json = { rows: trainRows(dataset, rows), weightDecay, negatives: negatives.map((n) => [...n]), loss: (await value.data())[0], queries: batch.queryDomain.length, grads: index };
  tf.dispose([value, ...Object.values(grads)]);
  return { json, bin: new Uint8Array(all.buffer) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), FLAGS);
  if (args.help) return void console.log(USAGE);
  if (!args.out) throw new UsageError('--out DIR is required');
  const out = stringArg(args, 'out', '');
  await selectNodeBackend('wasm');
  const dataset = await loadDataset(stringArg(args, 'data', 'public/data/food-kitchen'));
  const dir = stringArg(args, 'weights', SHIPPED_WEIGHTS);
  const weights = await readHafArtifacts(fileHandler(dir));
  const features = featuresForManifest(dataset.catalog, weights.manifest);
  const { model } = await loadHaf(weights, dataset.catalog, features);
  await mkdir(out, { recursive: true });
  const recommender = new HafRecommender(model, dataset.catalog, { ownsModel: false });
  await writeFile(join(out, 'scores.json'), JSON.stringify({ weights: dir, ...(await scores(recommender, dataset, numberArg(args, 'shoppers', 64))) }));
  recommender.dispose();
  if (args['scores-only']) return;
  const quiet = new HafModel({ ...model.config, dropout: 0 }, model.shape, model.params, features, Uint8Array.from(await model.knownItems()));
  const rng = createRng(7);
  const sampled = dataset.catalog.domainItems.map((items) => Int32Array.from({ length: SAMPLED_NEGATIVES }, () => items[rng.int(items.length)]!));
  const rows = numberArg(args, 'rows', 24);
  for (const [variant, negatives, wd] of [['full', [...dataset.catalog.domainItems], 0], ['sampled', sampled, 1e-3]] as const) {
    const { json, bin } = await step(quiet, dataset, rows, negatives, wd);
    await writeFile(join(out, `step-${variant}.json`), JSON.stringify({ weights: dir, ...json }));
    await writeFile(join(out, `step-${variant}.bin`), bin);
  }
  console.log(`wrote references to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});

/**
 * HAF benchmarks: one-shopper latency (history 50, whole 27,637-item kitchen domain) in
 * Node wasm and in Chromium wasm / webgpu, training throughput, peak memory, size on disk.
 * Uses the shipped weights (public/models/haf-food-kitchen); Chromium needs `npm run build` first.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadFoodKitchen } from '../../src/catalog/food-kitchen.ts';
import { fileHandler, selectNodeBackend } from '../../src/model/node.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { createRng } from '../../src/model/rng.ts';
import { trainStep, planBatches } from '../../src/model/trainer.ts';
import { loadHaf } from '../../src/model/weights-io.ts';
import { lexicalFeatures, SHIPPED_WEIGHTS } from '../haf-setup.ts';
import { withPreviewPage } from './browser.ts';
import { timeIt, type Benchmark, type Measurement } from './types.ts';

const KITCHEN = 1;
/** HAF_WEIGHTS=dir benchmarks other weights in Node (the Chromium half always uses the shipped ones). */
const WEIGHTS = process.env.HAF_WEIGHTS ?? SHIPPED_WEIGHTS;

async function sizeOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) total += (await stat(join(dir, f))).size;
  return total;
}

async function nodeMeasurements(runs: number, trainSteps: number): Promise<Measurement[]> {
  await selectNodeBackend('wasm');
  const d = await loadFoodKitchen();
  const features = [lexicalFeatures(d.catalog)];
  const { model } = await loadHaf(fileHandler(WEIGHTS), d.catalog, features);
  const rec = new HafRecommender(model, d.catalog, { ownsModel: false });
  const history = d.train.find((s) => s.items.length >= 50)!.items.subarray(0, 50);
  const latency = await timeIt(() => rec.score([{ history, domain: KITCHEN }]), runs, 3);
  const top10 = await timeIt(() => rec.recommend(history, KITCHEN, 10), runs, 3);
  const batch64 = await timeIt(() => rec.score(Array.from({ length: 64 }, () => ({ history, domain: KITCHEN }))), Math.max(3, runs / 10), 1);
  rec.dispose();
  const optimizer = tf.train.adam(1e-3);
  const rng = createRng(1);
  const data = { train: d.train, domainItems: d.catalog.domainItems, domainOf: d.catalog.domainOf };
  const plan = planBatches(d.train, model.config.maxLength, 1024, rng);
  const throughput: number[] = [];
  let peakRss = process.memoryUsage().rss;
  let peakTf = tf.memory().numBytes;
  const step = (i: number) => trainStep(model, optimizer, plan[i]!.map((s) => ({ history: s.items })), data, { negatives: 2048, weightDecay: 0 }, rng);
  for (let i = 0; i < trainSteps + 1; i++) {
    const started = performance.now();
    const { positions } = await step(i);
    if (i > 0) throughput.push(positions / ((performance.now() - started) / 1000));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  // tf.profile tracks the peak of live tensor bytes inside one step (not timed).
  const profile = await tf.profile(async () => void (await step(trainSteps + 1)));
  peakTf = Math.max(peakTf, profile.peakBytes);
  optimizer.dispose();
  model.dispose();
  const backend = 'node wasm';
  const note = 'shipped weights; history 50; kitchen domain = 27,637 items';
  return [
    { name: 'haf: one shopper, score whole kitchen domain', backend, unit: 'ms', samples: latency, note },
    { name: 'haf: one shopper, whole kitchen domain + top-10', backend, unit: 'ms', samples: top10, note },
    { name: 'haf: 64 shoppers, score whole kitchen domain (per shopper)', backend, unit: 'ms', samples: batch64.map((x) => x / 64), note },
    { name: 'haf: training throughput (1,024-position batches, 2,048 negatives/domain)', backend, unit: 'positions/s', samples: throughput },
    { name: 'haf: peak RSS during training', backend, unit: 'MB', samples: [peakRss / 2 ** 20] },
    { name: 'haf: peak tfjs tensor memory during training', backend, unit: 'MB', samples: [peakTf / 2 ** 20] },
    { name: 'haf: shipped weights on disk', backend: 'files', unit: 'MB', samples: [(await sizeOnDisk(WEIGHTS)) / 2 ** 20] },
  ];
}

interface PageResult {
  readonly backend: string;
  readonly samples?: number[];
  readonly error?: string;
}

async function browserMeasurements(runs: number): Promise<Measurement[]> {
  const results = await withPreviewPage(`e2e/pages/model-bench.html?runs=${runs}`, async (page) => {
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 600_000 });
    return JSON.parse((await page.locator('#out').textContent()) ?? '[]') as PageResult[];
  });
  return results.map((r) => ({
    name: 'haf: one shopper, score whole kitchen domain',
    backend: `chromium ${r.backend}${r.backend === 'webgpu' ? ' (swiftshader fallback adapter)' : ''}`,
    unit: 'ms',
    samples: r.samples ?? [],
    note: r.error ?? 'shipped weights over http; history 50; 27,637 items',
  }));
}

export const modelHafBench: Benchmark = {
  name: 'model-haf',
  description: 'HAF recommendation latency (Node wasm, Chromium wasm/webgpu), training throughput, memory, size',
  async run(ctx) {
    const runs = ctx.quick ? 5 : 30;
    const node = await nodeMeasurements(runs, ctx.quick ? 3 : 10);
    if (process.env.HAF_BENCH_NODE_ONLY) return node;
    ctx.log('node done; starting Chromium (needs a current `npm run build`)');
    let browser: Measurement[] = [];
    try {
      browser = await browserMeasurements(ctx.quick ? 3 : 10);
    } catch (error) {
      ctx.log(`chromium part failed: ${(error as Error).message}`);
    }
    return [...node, ...browser];
  },
};

/**
 * HAF benchmarks: one-shopper latency (history 50, whole 27,637-item kitchen domain) in
 * Node wasm and in Chromium wasm / webgpu, the storefront tag's scores-and-explanation call
 * against the two passes it replaced, training throughput, peak memory, size on disk.
 * Uses the shipped weights (public/models/haf-food-kitchen); Chromium needs `npm run build` first.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { fileHandler, selectNodeBackend } from '../../src/model/node.ts';
import { HafRecommender, type Explanation } from '../../src/model/recommender.ts';
import { TrainingRun } from '../../src/model/training-run.ts';
import { loadHaf } from '../../src/model/weights-io.ts';
import type { HafModel } from '../../src/model/model.ts';
import type { Catalog, Dataset } from '../../src/catalog/types.ts';
import { lexicalFeatures, SHIPPED_WEIGHTS } from '../haf-setup.ts';
import { allSamples, alternateRounds, perRoundRatios } from './native-rounds.ts';
import { timeIt, type Benchmark, type Measurement } from './types.ts';

const KITCHEN = 1;
/** HAF_WEIGHTS=dir benchmarks other weights in Node (the Chromium half always uses the shipped ones). */
const WEIGHTS = process.env.HAF_WEIGHTS ?? SHIPPED_WEIGHTS;

async function sizeOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) total += (await stat(join(dir, f))).size;
  return total;
}

/** Where and how the Node half runs: backend, its label in the tables, and the training shapes timed. */
export interface NodeBenchSetup {
  readonly backend: 'wasm' | 'webgpu';
  readonly label: string;
  readonly trainShapes: readonly { readonly positions: number; readonly negatives: number | 'full' }[];
}

const WASM_SETUP: NodeBenchSetup = {
  backend: 'wasm',
  label: 'node wasm',
  trainShapes: [
    { positions: 1024, negatives: 2048 },
    { positions: 2048, negatives: 4096 },
  ],
};

export async function nodeMeasurements(runs: number, trainSteps: number, setup: NodeBenchSetup = WASM_SETUP): Promise<Measurement[]> {
  await selectNodeBackend(setup.backend);
  const d = await loadDataset();
  const features = [lexicalFeatures(d.catalog)];
  const { model } = await loadHaf(fileHandler(WEIGHTS), d.catalog, features);
  const rec = new HafRecommender(model, d.catalog, { ownsModel: false });
  const history = d.train.find((s) => s.items.length >= 50)!.items.subarray(0, 50);
  // The first ~10 calls run slower (JIT tiers, XNNPACK operators being made): untimed.
  const latency = await timeIt(() => rec.score([{ history, domain: KITCHEN }]), runs, 10);
  const top10 = await timeIt(() => rec.recommend(history, KITCHEN, 10), runs, 10);
  const batch64 = await timeIt(() => rec.score(Array.from({ length: 64 }, () => ({ history, domain: KITCHEN }))), Math.max(3, runs / 10), 1);
  // The SIMD pass runs on wasm only: elsewhere both sides of the hot-path comparison are tfjs.
  const hotPath = setup.backend === 'wasm' ? await hotPathMeasurements(rec, model, d.catalog, history, runs) : [];
  rec.dispose();
  const training = await trainingMeasurements(model, d, trainSteps, setup);
  model.dispose();
  const backend = setup.label;
  const note = 'shipped weights; history 50; kitchen domain = 27,637 items';
  return [
    { name: 'haf: one shopper, score whole kitchen domain', backend, unit: 'ms', samples: latency, note },
    { name: 'haf: one shopper, whole kitchen domain + top-10', backend, unit: 'ms', samples: top10, note },
    { name: 'haf: 64 shoppers, score whole kitchen domain (per shopper)', backend, unit: 'ms', samples: batch64.map((x) => x / 64), note },
    ...hotPath,
    ...training,
    { name: 'haf: shipped weights on disk', backend: 'files', unit: 'MB', samples: [(await sizeOnDisk(WEIGHTS)) / 2 ** 20] },
  ];
}

/**
 * The storefront tag's call (haf-one-pass.ts): one shopper's whole-domain scores and their
 * explanation. After: scoreWithExplanation, one SIMD pass. Before: what it ran until the
 * SIMD pass returned its attention, the SIMD scores (score()) then a tfjs pass for the
 * explanation (explainAttention() of a recommender without the SIMD pass). The two alternate
 * round by round (this box's speed drifts), and the ratio is taken within each round.
 */
async function hotPathMeasurements(rec: HafRecommender, model: HafModel, catalog: Catalog, history: Int32Array, runs: number): Promise<Measurement[]> {
  const tfjs = new HafRecommender(model, catalog, { ownsModel: false, shopperForward: false });
  try {
    const request = [{ history, domain: KITCHEN }];
    const before = async () => ({ scores: (await rec.score(request))[0]!, explanation: await tfjs.explainAttention(history, KITCHEN) });
    const after = async () => (await rec.scoreWithExplanation(request))[0]!;
    const [old, one] = [await before(), await after()];
    const gap = weightGap(old.explanation, one.explanation);
    const perRound = 3;
    const steps = [before, after].map((fn, i) => ({ name: i === 0 ? 'before' : 'after', run: async () => timeIt(fn, perRound, 0) }));
    await alternateRounds(steps, Math.ceil(10 / perRound)); // untimed warm-up, as above
    const samples = await alternateRounds(steps, Math.max(2, Math.round(runs / perRound)));
    const backend = 'node wasm';
    const note = `shipped weights; history 50; kitchen domain; alternated ${perRound} calls a round; explanation weights within ${gap.toExponential(1)} of the tfjs pass`;
    return [
      { name: 'haf: tag hot path, scores + explanation, before (SIMD scores, then a tfjs pass)', backend, unit: 'ms', samples: allSamples(samples, 'before'), note },
      { name: 'haf: tag hot path, scores + explanation, after (one SIMD pass)', backend, unit: 'ms', samples: allSamples(samples, 'after'), note },
      { name: 'haf: tag hot path, before / after (per round)', backend, unit: 'x', samples: perRoundRatios(samples, 'before', 'after'), note },
    ];
  } finally {
    tfjs.dispose();
  }
}

/** Largest difference between two explanations' position and view weights. */
function weightGap(a: Explanation, b: Explanation): number {
  const positions = a.positions.map((p, i) => Math.abs(p.weight - b.positions[i]!.weight));
  const views = Object.entries(a.views).map(([v, x]) => Math.abs(x - b.views[v]!));
  return Math.max(0, ...positions, ...views);
}

async function trainingMeasurements(model: HafModel, d: Dataset, trainSteps: number, setup: NodeBenchSetup): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const data = { train: d.train, domainItems: d.catalog.domainItems, domainOf: d.catalog.domainOf };
  let peakRss = process.memoryUsage().rss;
  let peakTf = tf.memory().numBytes;
  for (const shape of setup.trainShapes) {
    const run = new TrainingRun(model, data, { seed: 1, learningRate: 1e-3, batchPositions: shape.positions, negatives: shape.negatives, weightDecay: 0 });
    const throughput: number[] = [];
    for (let i = 0; i < trainSteps + 1; i++) {
      const started = performance.now();
      const { positions } = await run.step();
      if (i > 0) throughput.push(positions / ((performance.now() - started) / 1000));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    // tf.profile tracks the peak of live tensor bytes inside one step (not timed).
    const profile = await tf.profile(async () => void (await run.step()));
    peakTf = Math.max(peakTf, profile.peakBytes);
    run.dispose();
    const negatives = shape.negatives === 'full' ? 'full in-domain softmax' : `${shape.negatives.toLocaleString('en-US')} negatives/domain`;
    out.push({ name: `haf: training throughput (${shape.positions.toLocaleString('en-US')}-position batches, ${negatives})`, backend: setup.label, unit: 'positions/s', samples: throughput });
  }
  out.push({ name: 'haf: peak RSS during training', backend: setup.label, unit: 'MB', samples: [peakRss / 2 ** 20] });
  out.push({ name: 'haf: peak tfjs tensor memory during training', backend: setup.label, unit: 'MB', samples: [peakTf / 2 ** 20] });
  return out;
}

interface PageResult {
  readonly backend: string;
  readonly samples?: number[];
  readonly error?: string;
}

async function browserMeasurements(runs: number): Promise<Measurement[]> {
  const { withPreviewPage } = await import('./browser.ts');
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

/**
 * hafrec's wasm path against native runtimes, side by side in one run: the same shipped
 * weights (public/models/haf-food-kitchen), the same lexical item features and the same valid
 * shoppers' histories, one thread each. Per round, each runtime serves every shopper (the
 * whole 27,637-item kitchen domain scored, top-10): hafrec on Node wasm (its SIMD pass,
 * shopper-forward.ts, and beside it the same model on tfjs-wasm's kernels), our PyTorch model
 * (python/hafrec_torch) in one long-lived child process, timed inside the child so the pipe
 * is not counted, and the serving graph exported to ONNX in ONNX Runtime's native CPU build.
 * The ratio is taken per round (this box's speed drifts 2x between hours). No quality metric.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import type { Catalog, EvalCase } from '../../src/catalog/types.ts';
import { encodeFeatureFile } from '../../src/embedding/feature-file.ts';
import { topK } from '../../src/eval/top-k.ts';
import { fileHandler, selectNodeBackend } from '../../src/model/node.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { loadHaf, readHafArtifacts } from '../../src/model/weights-io.ts';
import { featuresForManifest, SHIPPED_WEIGHTS } from '../haf-setup.ts';
import { allSamples, alternateRounds, roundShoppers, identicalFraction, maxRankwiseDifference, perRoundRatios, type RoundSamples, type RoundStep } from './native-rounds.ts';
import { OnnxServing } from './onnx-serving.ts';
import { TorchChild } from './torch-child.ts';
import type { Benchmark, BenchContext, Measurement } from './types.ts';

const DATA = 'public/data/food-kitchen';
const KITCHEN = 1;
const K = 10;
const BATCH = 64;
const WASM = 'node wasm (hafrec)';
const TFJS = 'node wasm (hafrec, tfjs kernels)';
const ONNX = 'onnx runtime node cpu, 1 thread';
/** HAF_TORCH_BLAS=dir adds a PyTorch column whose torch calls that folder's libblas.so.3 (e.g. OpenBLAS's). */
const OTHER_BLAS = process.env.HAF_TORCH_BLAS;

/** One PyTorch child and what it runs on. */
interface TorchRuntime {
  readonly name: string;
  readonly child: TorchChild;
  readonly version: string;
  readonly blas: string;
}

/** The runtimes under test, loaded once; `onnx` is absent (with the reason) where it cannot run. */
interface Runtimes {
  readonly catalog: Catalog;
  /** Valid shoppers only: test stays sealed (and no quality metric is computed here). */
  readonly valid: readonly EvalCase[];
  readonly wasm: HafRecommender;
  /** The same model with every pass on tfjs's kernels (shopperForward: false): the path before the SIMD pass. */
  readonly tfjs: HafRecommender;
  readonly torches: readonly TorchRuntime[];
  readonly onnx?: OnnxServing;
  readonly onnxProblem?: string;
}

/** The top-10 each runtime served, per shopper, from the latest round. */
interface Served {
  items: number[][];
  scores: number[][];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A short name for the BLAS a child mapped (Debian's libblas3 is the netlib reference BLAS). */
function blasName(mapped: string): string {
  if (/openblas/i.test(mapped)) return 'OpenBLAS';
  if (/\/blas\/libblas\.so/.test(mapped)) return 'reference BLAS';
  return mapped.split(', ')[0]!.split('/').pop()!;
}

async function startTorches(features: string, log: (m: string) => void): Promise<TorchRuntime[]> {
  const kinds = [{ label: 'system BLAS', libraryPath: undefined }, ...(OTHER_BLAS ? [{ label: 'HAF_TORCH_BLAS', libraryPath: OTHER_BLAS }] : [])];
  const out: TorchRuntime[] = [];
  for (const { label, libraryPath } of kinds) {
    const { child, ready } = await TorchChild.start({ data: DATA, weights: SHIPPED_WEIGHTS, features, ...(libraryPath ? { libraryPath } : {}) });
    const blas = blasName(ready.blas);
    log(`pytorch ${ready.torch} child ready (${ready.threads} thread; ${label}: ${ready.blas})`);
    out.push({ name: `pytorch cpu, 1 thread, ${blas}`, child, version: ready.torch, blas: ready.blas });
  }
  return out;
}

async function loadRuntimes(dir: string, log: (m: string) => void): Promise<Runtimes> {
  await selectNodeBackend('wasm');
  const { catalog, valid } = await loadDataset(DATA);
  const weights = await readHafArtifacts(fileHandler(SHIPPED_WEIGHTS));
  const features = featuresForManifest(catalog, weights.manifest);
  const { model } = await loadHaf(weights, catalog, features);
  const wasm = new HafRecommender(model, catalog);
  const tfjs = new HafRecommender(model, catalog, { ownsModel: false, shopperForward: false });
  // The Python side reads the very table Node computed (fp32: exact), in the repo's feature-file format.
  const featureFile = join(dir, 'lexical.fp32.bin');
  await writeFile(featureFile, new Uint8Array(await encodeFeatureFile(catalog, features, 'fp32')));
  const torches = await startTorches(featureFile, log);
  const onnxPath = join(dir, 'haf-kitchen-top10.onnx');
  try {
    const exported = await torches[0]!.child.request({ op: 'export_onnx', path: onnxPath, domain: KITCHEN, k: K });
    log(`exported the serving graph to ONNX in ${Math.round(exported.ms as number)} ms`);
    const onnx = await OnnxServing.load(onnxPath, catalog, model.config.maxLength);
    return { catalog, valid, wasm, tfjs, torches, onnx };
  } catch (error) {
    log(`no ONNX column: ${(error as Error).message}`);
    return { catalog, valid, wasm, tfjs, torches, onnxProblem: (error as Error).message };
  }
}

/** One-shopper steps: in round r each runtime serves the round's few shoppers one at a time; what it served is kept in `served`. */
function oneShopperSteps(rt: Runtimes, histories: readonly Int32Array[], perRound: number, served: Map<string, Served>): RoundStep[] {
  const plain = histories.map((h) => [...h]);
  const keep = (name: string, at: readonly number[], items: readonly number[][], scores: readonly number[][]) => {
    const got = served.get(name) ?? { items: [], scores: [] };
    at.forEach((shopper, i) => ((got.items[shopper] = items[i]!), (got.scores[shopper] = scores[i]!)));
    served.set(name, got);
  };
  const inNode = (name: string, serve: (h: Int32Array) => Promise<{ item: number; score: number }[]>): RoundStep => ({
    name,
    run: async (round) => {
      const at = roundShoppers(round, perRound, histories.length);
      const runs = [];
      for (const i of at) runs.push(await timed(() => serve(histories[i]!)));
      keep(name, at, runs.map((r) => r.value.map((x) => x.item)), runs.map((r) => r.value.map((x) => x.score)));
      return runs.map((r) => r.ms);
    },
  });
  const onnx = rt.onnx;
  return [
    inNode(WASM, (h) => rt.wasm.recommend(h, KITCHEN, K)),
    inNode(TFJS, (h) => rt.tfjs.recommend(h, KITCHEN, K)),
    ...rt.torches.map((torch) => ({
      name: torch.name,
      run: async (round: number) => {
        const at = roundShoppers(round, perRound, histories.length);
        const reply = await torch.child.request({ op: 'recommend', histories: at.map((i) => plain[i]), domain: KITCHEN, k: K });
        keep(torch.name, at, reply.items as number[][], reply.scores as number[][]);
        return (reply.ns as number[]).map((ns) => ns / 1e6);
      },
    })),
    ...(onnx ? [inNode(ONNX, async (h) => (await onnx.recommend([h], KITCHEN))[0]!)] : []),
  ];
}

/** Batch steps: all histories in one pass (scores and top-10 each); milliseconds per shopper. */
function batchSteps(rt: Runtimes, histories: readonly Int32Array[]): RoundStep[] {
  const n = histories.length;
  const plain = histories.map((h) => [...h]);
  const items = rt.catalog.domainItems[KITCHEN]!;
  const inNode = (name: string, rec: HafRecommender): RoundStep => ({
    name,
    run: async () => {
      const { ms } = await timed(async () => (await rec.score(histories.map((history) => ({ history, domain: KITCHEN })))).map((s) => topK(s, items, K)));
      return [ms / n];
    },
  });
  const steps: RoundStep[] = [
    inNode(WASM, rt.wasm),
    inNode(TFJS, rt.tfjs),
    ...rt.torches.map((torch) => ({
      name: torch.name,
      run: async () => ((await torch.child.request({ op: 'batch', histories: plain, domain: KITCHEN, k: K, repeat: 1 })).ns as number[]).map((ns) => ns / 1e6 / n),
    })),
  ];
  const onnx = rt.onnx;
  if (onnx) steps.push({ name: ONNX, run: async () => [(await timed(() => onnx.recommend(histories, KITCHEN))).ms / n] });
  return steps;
}

/** How each runtime is timed, for the table's notes. */
function howTimed(rt: Runtimes, backend: string): string {
  if (backend === WASM) return `HafRecommender (its SIMD pass), timed in Node${rt.onnxProblem ? `; no ONNX column: ${rt.onnxProblem}` : ''}`;
  if (backend === TFJS) return 'HafRecommender with shopperForward: false: every pass on tfjs-wasm kernels, the path before shopper-forward.ts';
  if (backend === ONNX) return 'the exported serving graph, timed in Node around buildBatch + session.run';
  const torch = rt.torches.find((t) => t.name === backend)!;
  return `torch ${torch.version} (${torch.blas}), timed inside the child with perf_counter_ns around build_batch + forward + top-k: the pipe is not counted`;
}

/** A runtime's short name in a ratio's label. */
function shortName(backend: string): string {
  if (backend === WASM) return 'wasm';
  if (backend === TFJS) return 'wasm tfjs kernels';
  return backend === ONNX ? 'onnx runtime' : backend.replace('cpu, 1 thread, ', '');
}

function timingRows(samples: RoundSamples, what: string, backends: readonly string[], note: (backend: string) => string): Measurement[] {
  const rows: Measurement[] = backends.map((backend) => ({ name: what, backend, unit: 'ms', samples: allSamples(samples, backend), note: note(backend) }));
  // wasm against each other runtime, and the tfjs path against ONNX Runtime (the ratio before the SIMD pass).
  const pairs = [...backends.slice(1).map((other) => [WASM, other]), ...(backends.includes(ONNX) ? [[TFJS, ONNX]] : [])] as [string, string][];
  for (const [top, bottom] of pairs) {
    rows.push({ name: `${what}: ${shortName(top)} / ${shortName(bottom)}`, backend: 'side by side, per round', unit: 'x', samples: perRoundRatios(samples, top, bottom), note: 'median of the rounds\' median ratios' });
  }
  return rows;
}

function parityRows(served: ReadonlyMap<string, Served>, backends: readonly string[]): Measurement[] {
  const reference = served.get(WASM)!;
  return backends.slice(1).flatMap((backend) => {
    const other = served.get(backend)!;
    const n = reference.items.length;
    return [
      { name: `haf: top-10 lists identical to wasm's (fraction of ${n} shoppers)`, backend, unit: 'fraction', samples: [identicalFraction(reference.items, other.items)] },
      { name: 'haf: max abs(score - wasm score) over the top-10, rank by rank', backend, unit: 'score', samples: [maxRankwiseDifference(reference.scores, other.scores)] },
    ];
  });
}

async function measure(rt: Runtimes, ctx: BenchContext): Promise<Measurement[]> {
  const { valid } = rt;
  // Short rounds (a few shoppers each), many of them: the other jobs on this box come and go
  // within seconds, and a ratio only holds within a stretch both sides shared.
  const shoppers = ctx.quick ? 8 : 24;
  const perRound = 4;
  const rounds = ctx.quick ? 4 : 60;
  const histories = valid.slice(0, shoppers).map((c) => c.history);
  const served = new Map<string, Served>();
  const one = oneShopperSteps(rt, histories, perRound, served);
  // Untimed rounds over every shopper first: the first calls run slower (JIT tiers, XNNPACK operators, torch's allocator).
  await alternateRounds(one, shoppers / perRound);
  const oneSamples = await alternateRounds(one, rounds);
  ctx.log(`one shopper: ${rounds} rounds x ${perRound} shoppers done`);
  const batch = batchSteps(rt, valid.slice(0, BATCH).map((c) => c.history));
  await alternateRounds(batch, 1);
  const batchSamples = await alternateRounds(batch, ctx.quick ? 2 : 6);
  const backends = one.map((s) => s.name);
  const workload = `shipped weights, lexical features, 27,637 kitchen items; the first ${shoppers} valid shoppers (last 50 items at most), ${perRound} a round, ${rounds} rounds`;
  return [
    ...timingRows(oneSamples, 'haf: one shopper, whole kitchen domain + top-10', backends, (b) => (b === WASM ? `${workload}; ${howTimed(rt, b)}` : howTimed(rt, b))),
    ...timingRows(batchSamples, `haf: ${BATCH} shoppers in one pass + top-10 each (per shopper)`, backends, (b) => (b === WASM ? `the first ${BATCH} valid shoppers` : '')),
    ...parityRows(served, backends),
  ];
}

export const modelNativeBench: Benchmark = {
  name: 'model-native',
  description: 'HAF one-shopper and 64-shopper serving, hafrec wasm vs PyTorch (and ONNX Runtime) native CPU, one thread each, alternating rounds in one run',
  async run(ctx) {
    const dir = await mkdtemp(join(tmpdir(), 'hafrec-native-'));
    const rt = await loadRuntimes(dir, ctx.log);
    try {
      return await measure(rt, ctx);
    } finally {
      rt.tfjs.dispose();
      rt.wasm.dispose();
      for (const torch of rt.torches) await torch.child.close();
      await rt.onnx?.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Browser half of scripts/bench/wasm-threads.ts. One page holds one tfjs wasm backend, whose
 * binary and thread count are fixed when it starts, so each variant is a page of its own:
 * `?threads=0` runs the plain SIMD binary (what a page without cross-origin isolation gets)
 * and also hosts hafrec's SIMD pass; `?threads=n` runs the threaded binary with n XNNPACK
 * threads; `&cores=c` shows tfjs a hardwareConcurrency of c, as tfjs 4.22 runs at most
 * hardwareConcurrency / 2 threads. The Node side alternates calls between the pages through
 * `window.wasmThreadsBench`.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { fetchDataset } from '../../src/catalog/dataset-fetch.ts';
import { createLexicalEncoder } from '../../src/embedding/lexical-encoder.ts';
import { selectBackend } from '../../src/model/backend.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { WASM_PATHS } from '../../src/model/wasm-assets.ts';
import { loadHaf } from '../../src/model/weights-io.ts';

/** Which pass a call runs: tfjs-wasm kernels, or hafrec's own SIMD pass. */
type PassKind = 'tfjs' | 'simd-pass';

interface WasmThreadsPage {
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** The binary tfjs loaded: true for tfjs-backend-wasm-threaded-simd.wasm. */
  readonly threadedBinary: boolean;
  readonly threads: number;
  /** Milliseconds per call of `calls` recommend() calls (whole kitchen domain, top-10). */
  round(kind: PassKind, calls: number): Promise<number[]>;
  top10(kind: PassKind): Promise<number[]>;
}

const KITCHEN = 1;
const params = new URLSearchParams(location.search);
const requested = Number(params.get('threads') ?? '0');
const hardwareConcurrency = navigator.hardwareConcurrency;
const cores = params.get('cores');
// tfjs's wasm reads navigator.hardwareConcurrency when its module starts, below.
if (cores !== null) Object.defineProperty(navigator, 'hardwareConcurrency', { value: Number(cores), configurable: true });
// The flag decides the binary; forcing it off gives the single-threaded SIMD binary even here.
if (requested === 0) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
else setThreadsCount(requested);
await selectBackend('wasm', { wasmPaths: WASM_PATHS });
const threadedBinary = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;

const dataset = await fetchDataset(new URL('../../data/food-kitchen/', location.href).href);
const features = [createLexicalEncoder({ dim: 256 }).encodeCatalog(dataset.catalog)];
const history = dataset.train.find((s) => s.items.length >= 50)!.items.subarray(0, 50);
const { model } = await loadHaf(new URL('../../models/haf-food-kitchen/model.json', location.href).href, dataset.catalog, features);
const passes: Partial<Record<PassKind, HafRecommender>> = {
  tfjs: new HafRecommender(model, dataset.catalog, { ownsModel: false, shopperForward: false }),
};
if (requested === 0) passes['simd-pass'] = new HafRecommender(model, dataset.catalog, { ownsModel: false });

function pass(kind: PassKind): HafRecommender {
  const rec = passes[kind];
  if (!rec) throw new Error(`this page (threads=${requested}) has no ${kind} pass`);
  return rec;
}

const bench: WasmThreadsPage = {
  crossOriginIsolated: globalThis.crossOriginIsolated,
  hardwareConcurrency,
  threadedBinary,
  threads: getThreadsCount(),
  async round(kind, calls) {
    const rec = pass(kind);
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      await rec.recommend(history, KITCHEN, 10);
      samples.push(performance.now() - start);
    }
    return samples;
  },
  async top10(kind) {
    return (await pass(kind).recommend(history, KITCHEN, 10)).map((r) => r.item);
  },
};
(globalThis as { wasmThreadsBench?: WasmThreadsPage }).wasmThreadsBench = bench;
document.getElementById('out')!.textContent = JSON.stringify({ ...bench, threadedBinary, requested });
document.body.dataset.ready = 'true';

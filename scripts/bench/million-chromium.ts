/**
 * The million-item bundle (million-bundle.ts: 1,120,000 items in four domains, int8 item rows)
 * served to the real storefront tag in Debian's Chromium (`npm run build` first): the built
 * tag and worker from dist/, the bundle and a one-line shop page from bench-results/tmp/,
 * through e2e/static-shop-server.ts. Per round, a fresh browser: hafrec.info() loads the
 * catalog and bundle in the engine worker (a dedicated one, so that it lives in the page's
 * renderer); after two collections in the worker, the renderers' RSS growth (all it holds,
 * WebAssembly memory included) and the worker's heap and ArrayBuffers (DevTools), and shoppers
 * are ranked against the whole 1,000,000-item domain with recommend(). Each round is followed
 * by a Node process loading the same folder with the same loaders (million-serve.ts), so that
 * both sides see the same load of this shared box.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunch } from '../../e2e/chromium.ts';
import { serveStatic } from '../../e2e/static-shop-server.ts';
import { createRng } from '../../src/model/rng.ts';
import { BenchSetupError } from './bench-errors.ts';
import { BENCH_DOMAINS, ensureMillionBundle } from './million-bundle.ts';
import { serve } from './million-items.ts';
import type { ServeFigures } from './million-serve.ts';
import { renderersRssMB } from './renderer-memory.ts';
import type { Benchmark, Measurement } from './types.ts';
import { attachWorker, type WorkerCdp } from './worker-cdp.ts';

const BUNDLE_DIR = join('bench-results', 'tmp', 'million-bundle');
const MOUNT = '/million/';
const MB = 2 ** 20;
const HISTORY = 20;

/** The shop page: the tag alone, its assets next to it, a worker per page. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>hafrec: a million-item shop</title>
<script async src="../embed.js" data-catalog="catalog.json" data-model="model.json" data-domain="books" data-shared-worker="false" data-db="million-bench"></script>
`;

/** Runtime.getHeapUsage of a worker (Chromium 130+ adds the last two). */
export interface HeapUsage {
  readonly usedSize: number;
  readonly totalSize: number;
  readonly embedderHeapUsedSize?: number;
  readonly backingStorageSize?: number;
}

export interface BrowserFigures {
  readonly loadMs: number;
  readonly items: number;
  readonly model: string;
  readonly heap: HeapUsage;
  readonly rankedHeap: HeapUsage;
  readonly rssDeltaMB: number;
  readonly recommendMs: number[];
  /** The same shoppers against a 40,000-item domain (10,000 quick): the costs that do not grow with the domain. */
  readonly smallMs: number[];
  /** What navigator.gpu offers the worker: the tag keeps wasm unless a real (non-fallback) adapter. */
  readonly gpu: string;
}

/** A seeded shopper's history: item ids of any domain, as the tag tracks them. */
function shopperItems(sizes: readonly number[], seed: number): { itemId: string; domain: string }[] {
  const rng = createRng(seed);
  return Array.from({ length: HISTORY }, () => {
    const d = Math.floor(rng.next() * sizes.length);
    return { itemId: `${BENCH_DOMAINS[d]}-${Math.floor(rng.next() * sizes[d]!)}`, domain: BENCH_DOMAINS[d]! };
  });
}

/** Worker memory after two collections a moment apart (dead ArrayBuffers are freed after the first sweep). */
async function settledHeap(worker: WorkerCdp): Promise<HeapUsage> {
  await worker.send('HeapProfiler.collectGarbage');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await worker.send('HeapProfiler.collectGarbage');
  return worker.send<HeapUsage>('Runtime.getHeapUsage');
}

async function trackViews(page: Page, views: { itemId: string; domain: string }[]): Promise<void> {
  await page.evaluate(async (events) => {
    const api = (window as unknown as { hafrec: { track(e: object): Promise<unknown> } }).hafrec;
    for (const e of events) await api.track({ type: 'view', ...e });
  }, views);
}

/** Times one recommend() of `domain` from the page; checks its answer. */
async function timeRecommend(page: Page, domain: string): Promise<number> {
  const { ms, ids } = await page.evaluate(async (d) => {
    const api = (window as unknown as { hafrec: { recommend(d: string, k: number): Promise<{ id: string }[]> } }).hafrec;
    const start = performance.now();
    const items = await api.recommend(d, 10);
    return { ms: performance.now() - start, ids: items.map((i) => i.id) };
  }, domain);
  if (ids.length !== 10 || ids.some((id) => !id.startsWith(`${domain}-`))) throw new BenchSetupError(`recommend('${domain}', 10) answered ${JSON.stringify(ids)}`);
  return ms;
}

async function gpuOf(worker: WorkerCdp): Promise<string> {
  const expression = `(async () => { const a = await navigator.gpu?.requestAdapter(); return a ? (a.info?.isFallbackAdapter ? 'fallback adapter' : 'adapter') : 'none'; })()`;
  const { result } = await worker.send<{ result: { value?: string } }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  return result.value ?? 'unknown';
}

async function browserRound(browser: Browser, origin: string, sizes: readonly number[], shoppers: number): Promise<BrowserFigures> {
  const page = await browser.newPage();
  await page.goto(`${origin}${MOUNT}index.html`);
  await page.waitForFunction(() => typeof (window as { hafrec?: { version?: string } }).hafrec?.version === 'string', null, { timeout: 60_000 });
  const rssBefore = await renderersRssMB(browser);
  const { loadMs, info } = await page.evaluate(async () => {
    const start = performance.now();
    const loaded = await (window as unknown as { hafrec: { info(): Promise<{ items: number; model: string }> } }).hafrec.info();
    return { loadMs: performance.now() - start, info: loaded };
  });
  const worker = await attachWorker(browser, '/embed-worker.js');
  const heap = await settledHeap(worker);
  const rssDeltaMB = (await renderersRssMB(browser)) - rssBefore;
  const [largest, small] = [BENCH_DOMAINS[0], BENCH_DOMAINS[1]];
  await trackViews(page, shopperItems(sizes, 1000));
  await timeRecommend(page, largest);
  await timeRecommend(page, small);
  const recommendMs: number[] = [];
  const smallMs: number[] = [];
  for (let s = 0; s < shoppers; s++) {
    await trackViews(page, shopperItems(sizes, s + 1));
    recommendMs.push(await timeRecommend(page, largest));
    smallMs.push(await timeRecommend(page, small));
  }
  const figures = { loadMs, items: info.items, model: info.model, heap, rankedHeap: await settledHeap(worker), rssDeltaMB, recommendMs, smallMs, gpu: await gpuOf(worker) };
  await worker.detach();
  return figures;
}

/**
 * The worker's memory as the protocol counts it: the V8 heap in use, the embedder's and the
 * ArrayBuffer backing stores. WebAssembly memories are not among them (the int8 table lives in
 * one): the renderer's RSS growth is the figure that counts everything.
 */
export function workerMB(heap: HeapUsage): number {
  if (heap.backingStorageSize === undefined) throw new BenchSetupError('Runtime.getHeapUsage gave no backingStorageSize (Chromium 130 or later reports it): the worker memory would miss its ArrayBuffers');
  return (heap.usedSize + (heap.embedderHeapUsedSize ?? 0) + heap.backingStorageSize) / MB;
}

export const millionChromiumBench: Benchmark = {
  name: 'million-items-chromium',
  description: 'the 1,120,000-item int8 bundle served to the storefront tag in Chromium: engine worker memory, load time, one shopper ranked against the whole 1,000,000-item domain; Node alternately',
  async run({ quick, log }) {
    const sizes = quick ? [200_000, 10_000, 10_000, 10_000] : [1_000_000, 40_000, 40_000, 40_000];
    const dir = quick ? `${BUNDLE_DIR}-quick` : BUNDLE_DIR;
    log((await ensureMillionBundle(dir, sizes)) ? `bundle written to ${dir}` : `bundle reused from ${dir}`);
    await writeFile(join(dir, 'index.html'), PAGE);
    const shop = await serveStatic('dist', { [MOUNT]: dir });
    const rounds = quick ? 1 : 3;
    const shoppers = quick ? 5 : 10;
    const browserRuns: BrowserFigures[] = [];
    const nodeRuns: ServeFigures[] = [];
    try {
      for (let r = 0; r < rounds; r++) {
        const browser = await chromium.launch(chromiumLaunch());
        try {
          browserRuns.push(await browserRound(browser, shop.origin, sizes, shoppers));
        } finally {
          await browser.close();
        }
        const b = browserRuns.at(-1)!;
        log(`round ${r + 1} chromium: load ${b.loadMs.toFixed(0)} ms, worker heap + ArrayBuffers ${workerMB(b.heap).toFixed(0)} MB, renderers +${b.rssDeltaMB.toFixed(0)} MB, recommend ${b.recommendMs.map((m) => m.toFixed(0)).join('/')} ms (gpu: ${b.gpu})`);
        nodeRuns.push(await serve(dir, shoppers, 'int8'));
        const n = nodeRuns.at(-1)!;
        log(`round ${r + 1} node: load ${n.loadMs.toFixed(0)} ms, RSS +${n.rssDeltaMB.toFixed(0)} MB, blend ${n.blendMs.map((m) => m.toFixed(0)).join('/')} ms`);
      }
    } finally {
      await shop.close();
    }
    return millionChromiumRows(browserRuns, nodeRuns, sizes);
  },
};

function millionChromiumRows(runs: readonly BrowserFigures[], nodeRuns: readonly ServeFigures[], sizes: readonly number[]): Measurement[] {
  const first = runs[0]!;
  if (first.items !== sizes.reduce((a, b) => a + b, 0)) throw new BenchSetupError(`the worker loaded ${first.items} items, not ${sizes.join(' + ')}`);
  const backend = first.gpu === 'adapter' ? 'chromium (Debian), tag, webgpu or wasm' : 'chromium (Debian), tag, wasm';
  const node = 'node tfjs-wasm';
  const n = `${first.items.toLocaleString('en')} items in 4 domains, the largest ${sizes[0]!.toLocaleString('en')}; int8 item rows; ${first.model}`;
  const heapNote = (h: HeapUsage) => `V8 heap ${(h.usedSize / MB).toFixed(0)} MB + ArrayBuffer backing stores ${((h.backingStorageSize ?? 0) / MB).toFixed(0)} MB + embedder ${((h.embedderHeapUsedSize ?? 0) / MB).toFixed(1)} MB`;
  return [
    { name: 'engine memory: renderer RSS growth, catalog + bundle loaded', backend, unit: 'MB', samples: runs.map((r) => r.rssDeltaMB), note: `target < 300 MB; /proc VmRSS of the renderer processes (the page's holds its dedicated worker; the page itself is idle) before hafrec.info() and after it, two GCs in the worker; counts everything: JS heap, ArrayBuffers, the WebAssembly memories (the int8 table's), allocator slack; ${n}` },
    { name: 'worker JS heap + ArrayBuffers, catalog + bundle loaded', backend, unit: 'MB', samples: runs.map((r) => workerMB(r.heap)), note: `CDP Runtime.getHeapUsage on the worker target after two GCs (HeapProfiler.collectGarbage); it leaves out WebAssembly memory; round 1: ${heapNote(first.heap)}` },
    { name: 'worker JS heap + ArrayBuffers after the rankings', backend, unit: 'MB', samples: runs.map((r) => workerMB(r.rankedHeap)), note: `round 1: ${heapNote(first.rankedHeap)}` },
    { name: 'process RSS growth, catalog + bundle loaded', backend: node, unit: 'MB', samples: nodeRuns.map((f) => f.rssDeltaMB), note: `million-serve.ts, alternated round by round with the browser; round 1: heap +${nodeRuns[0]!.heapDeltaMB.toFixed(0)} MB, ArrayBuffers +${nodeRuns[0]!.arrayBuffersDeltaMB.toFixed(0)} MB, WebAssembly memory +${nodeRuns[0]!.wasmDeltaMB.toFixed(0)} MB` },
    { name: 'load catalog.json + bundle: hafrec.info() until loaded', backend, unit: 'ms', samples: runs.map((r) => r.loadMs), note: 'worker start, fetches from a local server (and their offline copies), parse, int8 table' },
    { name: 'load catalog.json + bundle', backend: node, unit: 'ms', samples: nodeRuns.map((f) => f.loadMs), note: 'files read from disk' },
    { name: 'recommend top-10 of the whole largest domain, HAF + prior blend', backend, unit: 'ms', samples: runs.flatMap((r) => r.recommendMs), note: `target < 50 ms; warm (one untimed first); hafrec.recommend() from the page: history read from IndexedDB, forward pass, int8 wasm-simd scores, blend, top-10, reasons; ${HISTORY} tracked views per shopper` },
    { name: 'recommend top-10 of a small domain, HAF + prior blend', backend, unit: 'ms', samples: runs.flatMap((r) => r.smallMs), note: `the same shoppers and call against a ${sizes[1]!.toLocaleString('en')}-item domain: what does not grow with the domain (IndexedDB read, messages, forward pass, reasons)` },
    { name: 'recommend top-10 of the whole largest domain, HAF + prior blend', backend: node, unit: 'ms', samples: nodeRuns.flatMap((f) => f.blendMs), note: 'bundleRecommender.recommend() in process, history 20' },
  ];
}

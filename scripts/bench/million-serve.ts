/**
 * Child process of the million-items bench (a fresh process, so its memory is the serving
 * code's alone): loads a bundle folder with the `haf` kind's own functions (parseCatalogJson,
 * loadBundleHaf, loadPrior, bundleRecommender: what loadHafKind and `npm run eval -- --model
 * bundle` run), ranks shoppers against the largest domain and prints one JSON line of figures.
 * Usage: node --expose-gc --import tsx scripts/bench/million-serve.ts <bundle folder> <runs> <int8|float>
 * (the manifest's itemScoring is set to the last argument).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseCatalogJson } from '../../src/catalog/catalog-json.ts';
import type { Catalog } from '../../src/catalog/types.ts';
import { CATALOG_FILE, MODEL_FILE } from '../../src/bundle/bundle-load.ts';
import { fileUrlIn, folderFetch } from '../../src/bundle/file-fetch.ts';
import { parseHafBundleFile } from '../../src/engine/haf-bundle-file.ts';
import { loadPrior } from '../../src/engine/haf-kind.ts';
import { bundleRecommender, loadBundleHaf } from '../../src/engine/haf-runtime.ts';
import { topK } from '../../src/eval/top-k.ts';
import { selectNodeBackend } from '../../src/model/node.ts';
import type { Recommender } from '../../src/eval/recommender.ts';
import type { HafRecommender } from '../../src/model/recommender.ts';
import { syntheticHistories } from './million-bundle.ts';

export interface ServeFigures {
  readonly items: number;
  readonly domainItems: number;
  /** The HafRecommender's name: says whether int8 items served. */
  readonly hafName: string;
  readonly catalogJsonBytes: number;
  readonly itemsBinBytes: number;
  readonly catalogReadMs: number;
  readonly catalogParseMs: number;
  /** Heap + ArrayBuffer growth with the catalog alone loaded (its columns, domain arrays and id index). */
  readonly catalogMB: number;
  readonly loadMs: number;
  readonly rssBeforeMB: number;
  readonly rssDeltaMB: number;
  /** After the timed rankings (the float path builds its tables at the first one; the float process then also holds the int8 twin). */
  readonly rssRankedDeltaMB: number;
  readonly peakRssMB: number;
  readonly heapDeltaMB: number;
  readonly arrayBuffersDeltaMB: number;
  /** Memory outside the JS heap that is not ArrayBuffers: the int8 kernels' WebAssembly memories (and tfjs-wasm's). */
  readonly wasmDeltaMB: number;
  readonly tfMB: number;
  readonly tfTensors: number;
  readonly hafMs: number[];
  readonly blendMs: number[];
  /** The float process only: the int8 HAF and blend, timed alternately with the float ones. */
  readonly twinHafMs?: number[];
  readonly twinBlendMs?: number[];
  readonly recall: number[];
}

const MB = 2 ** 20;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * Memory once garbage is collected and released: a second collection after a pause, because
 * the backing stores of dead ArrayBuffers are freed after the first collection's sweep (one
 * gc() alone left ~100 MB of them counted).
 */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  return process.memoryUsage();
}
const CHUNK = 65_536;

/** Exact float scores of a whole domain: the rows as float (dequantized), scored as candidates, chunk by chunk. */
async function exactScores(haf: HafRecommender, history: Int32Array, domain: number, items: Int32Array): Promise<Float32Array> {
  const out = new Float32Array(items.length);
  for (let start = 0; start < items.length; start += CHUNK) {
    const [part] = await haf.score([{ history, domain, candidates: items.subarray(start, start + CHUNK) }]);
    out.set(part!, start);
  }
  return out;
}

/** Memory once loaded, after GC, against `before`; the peak RSS so far (the load's: nothing ranked yet). */
async function memoryAfterLoad(before: NodeJS.MemoryUsage) {
  const after = await settledMemory();
  const memory = tf.memory();
  return {
    rssBeforeMB: before.rss / MB,
    rssDeltaMB: (after.rss - before.rss) / MB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    heapDeltaMB: (after.heapUsed - before.heapUsed) / MB,
    arrayBuffersDeltaMB: (after.arrayBuffers - before.arrayBuffers) / MB,
    wasmDeltaMB: (after.external - after.arrayBuffers - (before.external - before.arrayBuffers)) / MB,
    tfMB: memory.numBytes / MB,
    tfTensors: memory.numTensors,
  };
}

/** recommend() timings of each recommender, alternating between them shopper by shopper (one untimed call each first). */
async function rankTimes(recommenders: readonly Recommender[], shoppers: readonly Int32Array[], domain: number, runs: number): Promise<number[][]> {
  for (const r of recommenders) await r.recommend(shoppers[0]!, domain, 10);
  const times = recommenders.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    const history = shoppers[run % shoppers.length]!;
    for (const [i, r] of recommenders.entries()) {
      const t = performance.now();
      await r.recommend(history, domain, 10);
      times[i]!.push(performance.now() - t);
    }
  }
  return times;
}

/** Per shopper: the share of the exact float top-10 that recommend() (int8) returns. */
async function recallAt10(haf: HafRecommender, shoppers: readonly Int32Array[], domain: number, items: Int32Array): Promise<number[]> {
  const recall: number[] = [];
  for (const history of shoppers) {
    const want = new Set(topK(await exactScores(haf, history, domain, items), items, 10).map((x) => x.item));
    recall.push((await haf.recommend(history, domain, 10)).filter((x) => want.has(x.item)).length / 10);
  }
  return recall;
}

async function loadCatalog(dir: string): Promise<{ catalog: Catalog; readMs: number; parseMs: number }> {
  let t = performance.now();
  const text = await readFile(join(dir, CATALOG_FILE), 'utf8');
  const readMs = performance.now() - t;
  t = performance.now();
  const catalog = parseCatalogJson(JSON.parse(text), fileUrlIn(dir, CATALOG_FILE), join(dir, CATALOG_FILE));
  return { catalog, readMs, parseMs: performance.now() - t };
}

/** What loadHafKind builds (the manifest and its ids go out of scope: the worker keeps only these). */
async function loadServing(dir: string, catalog: Catalog, scoring: string) {
  const backend = () => selectNodeBackend('wasm');
  const manifest = { ...(JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as Record<string, unknown>), itemScoring: scoring };
  const url = fileUrlIn(dir, MODEL_FILE);
  const file = parseHafBundleFile(manifest, url);
  const context = { manifest, catalog, url, fetch: folderFetch(dir), backend };
  const [haf, prior] = await Promise.all([loadBundleHaf(context, file), loadPrior(context, file)]);
  return { haf, serving: bundleRecommender(haf, prior, catalog, file.blend.weight), itemsBinBytes: (await stat(join(dir, file.items!))).size };
}

async function main(dir: string, runs: number, scoring: string): Promise<ServeFigures> {
  await selectNodeBackend('wasm');
  const before = await settledMemory();
  const started = performance.now();
  const { catalog, readMs, parseMs } = await loadCatalog(dir);
  const withCatalog = await settledMemory();
  const catalogMB = (withCatalog.heapUsed + withCatalog.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB;
  const { haf, serving, itemsBinBytes } = await loadServing(dir, catalog, scoring);
  const loadMs = performance.now() - started;
  const loaded = await memoryAfterLoad(before);
  const domain = catalog.domainItems.reduce((best, items, d) => (items.length > catalog.domainItems[best]!.length ? d : best), 0);
  const shoppers = syntheticHistories(catalog, 20, 20, 9).map((s) => s.items);
  // The float process also loads the int8 HAF (after its memory was read) to time both side by side, then disposes it.
  const twin = scoring === 'float' ? await loadServing(dir, catalog, 'int8') : undefined;
  const [hafMs, blendMs, twinHafMs, twinBlendMs] = await rankTimes(twin ? [haf, serving, twin.haf, twin.serving] : [haf, serving], shoppers, domain, runs);
  twin?.serving.dispose();
  const ranked = await settledMemory();
  const items = catalog.domainItems[domain]!;
  const recall = scoring === 'int8' ? await recallAt10(haf, shoppers.slice(0, 10), domain, items) : [];
  const figures: ServeFigures = {
    items: catalog.size,
    domainItems: items.length,
    hafName: haf.name,
    catalogJsonBytes: (await stat(join(dir, CATALOG_FILE))).size,
    itemsBinBytes,
    catalogReadMs: readMs,
    catalogParseMs: parseMs,
    catalogMB,
    loadMs,
    ...loaded,
    rssRankedDeltaMB: (ranked.rss - before.rss) / MB,
    hafMs: hafMs!,
    blendMs: blendMs!,
    ...(twinHafMs && twinBlendMs ? { twinHafMs, twinBlendMs } : {}),
    recall,
  };
  serving.dispose();
  return figures;
}

const [dir, runs, scoring] = process.argv.slice(2);
if (dir) {
  main(dir, Number(runs ?? 20), scoring ?? 'int8').then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

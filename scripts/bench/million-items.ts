/**
 * Ranking one shopper against a whole 1,000,000-item domain. The kernel alone: int8 item rows
 * scored by the WebAssembly SIMD kernel (src/model/int8-scorer.ts) against float32 rows scored
 * by tfjs-wasm's matMul, alternately in one run, each followed by the same top-10; the JS
 * fallback, the memory of each table and recall@10 of int8 against exact float scoring. Item
 * vectors are synthetic (seeded Gaussian, d = 64), made and quantized in chunks so no float
 * copy of the int8 table is ever whole. Then the serving code: a synthetic bundle of four
 * domains (million-bundle.ts) loaded by the `haf` kind's functions in a fresh process per
 * scoring mode (million-serve.ts), int8 items and then the float table, side by side.
 */
import * as tf from '@tensorflow/tfjs';
import { topK } from '../../src/eval/top-k.ts';
import { selectNodeBackend } from '../../src/model/node.ts';
import { createRng } from '../../src/model/rng.ts';
import { quantizeRows, type Int8Rows } from '../../src/model/int8-rows.ts';
import { createInt8Scorer } from '../../src/model/int8-scorer.ts';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeMillionBundle } from './million-bundle.ts';
import type { ServeFigures } from './million-serve.ts';
import type { Benchmark, Measurement } from './types.ts';

const DIM = 64;
const CHUNK = 65_536;

/** Rows [start, end) of the seeded synthetic table (the same numbers however it is chunked). */
function chunkRows(start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * DIM);
  for (let r = start; r < end; r++) {
    const rng = createRng(r + 1);
    for (let j = 0; j < DIM; j++) out[(r - start) * DIM + j] = rng.normal();
  }
  return out;
}

/** The int8 table and, in the same pass, each query's exact float scores. */
function buildTable(items: number, queries: readonly Float32Array[]): { table: Int8Rows; exact: Float32Array[] } {
  const codes = new Int8Array(items * DIM);
  const scales = new Float32Array(items);
  const exact = queries.map(() => new Float32Array(items));
  for (let start = 0; start < items; start += CHUNK) {
    const end = Math.min(items, start + CHUNK);
    const rows = chunkRows(start, end);
    const part = quantizeRows(rows, DIM);
    codes.set(part.codes, start * DIM);
    scales.set(part.scales, start);
    queries.forEach((q, i) => {
      for (let r = 0; r < end - start; r++) {
        let s = 0;
        for (let j = 0; j < DIM; j++) s += rows[r * DIM + j]! * q[j]!;
        exact[i]![start + r] = s;
      }
    });
  }
  return { table: { rows: items, dim: DIM, stride: DIM, codes, scales }, exact };
}

export const millionItemsBench: Benchmark = {
  name: 'million-items',
  description: 'one shopper ranked against a whole 1,000,000-item domain: int8 rows + WebAssembly SIMD vs float32 rows + tfjs-wasm matMul (side by side), recall@10, memory',
  async run({ quick, log }) {
    const items = quick ? 200_000 : 1_000_000;
    const runs = quick ? 5 : 30;
    const rng = createRng(7);
    const queries = Array.from({ length: 20 }, () => Float32Array.from({ length: DIM }, () => rng.normal()));
    const { table, exact } = buildTable(items, queries);
    const scorer = createInt8Scorer(table);
    log(`${items} items, int8 table built; kernel ${scorer.kernel}`);
    const ids = Int32Array.from({ length: items }, (_, i) => i + 1);
    const recall = queries.map((q, i) => {
      const want = new Set(topK(exact[i]!, ids, 10).map((x) => x.item));
      return topK(scorer.score(q), ids, 10).filter((x) => want.has(x.item)).length / 10;
    });
    await selectNodeBackend('wasm');
    const float = tf.tidy(() => tf.concat(Array.from({ length: Math.ceil(items / CHUNK) }, (_, c) => tf.tensor2d(chunkRows(c * CHUNK, Math.min(items, (c + 1) * CHUNK)), [Math.min(CHUNK, items - c * CHUNK), DIM]))).transpose()) as tf.Tensor2D; // [d, N]
    const floatTop = async (q: Float32Array) => {
      const s = tf.tidy(() => tf.matMul(tf.tensor2d(q, [1, DIM]), float));
      const scores = (await s.data()) as Float32Array;
      s.dispose();
      return topK(scores, ids, 10);
    };
    const int8Top = (q: Float32Array) => topK(scorer.score(q), ids, 10);
    const js = createInt8Scorer(table, { simd: false });
    for (let w = 0; w < 3; w++) {
      int8Top(queries[w]!);
      await floatTop(queries[w]!);
    }
    const [int8Ms, floatMs] = [[] as number[], [] as number[]];
    for (let r = 0; r < runs; r++) {
      const q = queries[r % queries.length]!;
      let t = performance.now();
      int8Top(q);
      int8Ms.push(performance.now() - t);
      t = performance.now();
      await floatTop(q);
      floatMs.push(performance.now() - t);
    }
    const jsMs = [0, 1, 2].map((r) => {
      const t = performance.now();
      topK(js.score(queries[r]!), ids, 10);
      return performance.now() - t;
    });
    float.dispose();
    const n = `${items.toLocaleString('en')} items, d = ${DIM}`;
    const out: Measurement[] = [
      { name: 'rank a whole domain + top-10, int8 rows', backend: `node ${scorer.kernel}`, unit: 'ms', samples: int8Ms, note: `${n}; alternated with the float32 row below` },
      { name: 'rank a whole domain + top-10, float32 rows', backend: 'node tfjs-wasm matMul', unit: 'ms', samples: floatMs, note: `${n}; same queries, same top-10 code` },
      { name: 'rank a whole domain + top-10, int8 rows (no SIMD fallback)', backend: 'node js', unit: 'ms', samples: jsMs, note: n },
      { name: 'recall@10 of int8 vs exact float scores', backend: `node ${scorer.kernel}`, unit: 'fraction', samples: recall, note: `${queries.length} queries, mean ${(recall.reduce((a, b) => a + b, 0) / recall.length).toFixed(3)}` },
      { name: 'item table bytes, int8 (codes + row scales)', backend: '-', unit: 'MB', samples: [(table.codes.byteLength + table.scales.byteLength) / 2 ** 20], note: n },
      { name: 'item table bytes, float32', backend: '-', unit: 'MB', samples: [(items * DIM * 4) / 2 ** 20], note: n },
      { name: 'kernel memory (int8 table, scales, query and scores)', backend: `node ${scorer.kernel}`, unit: 'MB', samples: [scorer.bytes / 2 ** 20], note: 'all the scorer holds; the JS copy it was made from can be dropped' },
    ];
    scorer.dispose();
    return [...out, ...(await servingMeasurements(quick, log))];
  },
};

const SERVE = join(import.meta.dirname, 'million-serve.ts');

/** One fresh Node process loading the bundle with `scoring` (its figures as JSON on stdout). */
export async function serve(dir: string, runs: number, scoring: 'int8' | 'float'): Promise<ServeFigures> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', SERVE, dir, String(runs), scoring], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ServeFigures;
}

/** The serving code over a synthetic bundle: the largest domain 1,000,000 items (200,000 quick), three more of 40,000 (10,000). */
async function servingMeasurements(quick: boolean, log: (line: string) => void): Promise<Measurement[]> {
  const sizes = quick ? [200_000, 10_000, 10_000, 10_000] : [1_000_000, 40_000, 40_000, 40_000];
  const dir = await mkdtemp(join(tmpdir(), 'hafrec-million-'));
  try {
    await writeMillionBundle(dir, sizes);
    log(`synthetic bundle written (${sizes.join(' + ')} items); loading it with int8 items, then with the float table`);
    const runs = quick ? 5 : 20;
    const int8 = await serve(dir, runs, 'int8');
    const float = await serve(dir, runs, 'float');
    // Labels must match what served: the int8 process's HAF names its int8 items, the float one's does not.
    if (!int8.hafName.includes('int8') || float.hafName.includes('int8')) throw new Error(`the bundle served ${int8.hafName} / ${float.hafName}, not int8 / float`);
    return servingRows(int8, float);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function servingRows(int8: ServeFigures, float: ServeFigures): Measurement[] {
  const n = `bundle of ${int8.items.toLocaleString('en')} items in 4 domains, the largest ${int8.domainItems.toLocaleString('en')}; d = 64, ID-only random weights; history 20`;
  const alternated = 'one process, alternated shopper by shopper with the other mode';
  const recall = int8.recall.reduce((a, b) => a + b, 0) / int8.recall.length;
  return [
    { name: 'serving: recommend top-10 of the largest domain, HAF alone, int8 items', backend: 'node tfjs-wasm', unit: 'ms', samples: float.twinHafMs ?? [], note: `${n}; forward pass + whole-domain scores + top-10; ${alternated}` },
    { name: 'serving: recommend top-10 of the largest domain, HAF alone, float table', backend: 'node tfjs-wasm', unit: 'ms', samples: float.hafMs, note: alternated },
    { name: 'serving: recommend top-10 of the largest domain, HAF alone, int8 items (own process)', backend: 'node tfjs-wasm', unit: 'ms', samples: int8.hafMs, note: 'the process that holds only the int8 table (the memory rows below)' },
    { name: 'serving: recommend top-10, HAF + prior blend as served, int8 items', backend: 'node tfjs-wasm', unit: 'ms', samples: float.twinBlendMs ?? [], note: `bundleRecommender: the prior's scores and both z-standardizations over the whole domain; ${alternated}` },
    { name: 'serving: recommend top-10, HAF + prior blend as served, float table', backend: 'node tfjs-wasm', unit: 'ms', samples: float.blendMs, note: alternated },
    ...[int8, float].flatMap((f): Measurement[] => {
      const mode = f === int8 ? 'int8 items' : 'float table';
      return [
        { name: `serving: process RSS growth, catalog + bundle loaded, ${mode}`, backend: 'node tfjs-wasm', unit: 'MB', samples: [f.rssDeltaMB], note: `after GC; ${f.rssRankedDeltaMB.toFixed(0)} MB after the rankings${f === float ? ' (this process also loaded the int8 twin for the timings, then disposed it)' : ''}; heap +${f.heapDeltaMB.toFixed(0)} MB, ArrayBuffers +${f.arrayBuffersDeltaMB.toFixed(0)} MB, WebAssembly memory +${f.wasmDeltaMB.toFixed(0)} MB, tfjs ${f.tfMB.toFixed(1)} MB; the catalog alone ${f.catalogMB.toFixed(0)} MB (heap + ArrayBuffers); peak RSS ${f.peakRssMB.toFixed(0)} MB (base ${f.rssBeforeMB.toFixed(0)} MB)` },
        { name: `serving: load catalog.json + bundle, ${mode}`, backend: 'node tfjs-wasm', unit: 'ms', samples: [f.loadMs], note: `of which catalog.json read ${f.catalogReadMs.toFixed(0)} ms, JSON.parse + parseCatalogJson ${f.catalogParseMs.toFixed(0)} ms` },
      ];
    }),
    { name: 'serving: recall@10 of int8 items vs the same rows scored in float', backend: 'node wasm-simd', unit: 'fraction', samples: int8.recall, note: `${int8.recall.length} shoppers, mean ${recall.toFixed(3)}; the float scores are the int8 path's candidate scoring (dequantized rows . u)` },
    { name: 'serving: catalog.json bytes', backend: '-', unit: 'MB', samples: [int8.catalogJsonBytes / 2 ** 20], note: 'id, domain and a short title per item' },
    { name: 'serving: haf/items.bin bytes', backend: '-', unit: 'MB', samples: [int8.itemsBinBytes / 2 ** 20], note: 'int8 x 64 + a float scale per row, read into the int8 table as stored' },
  ];
}

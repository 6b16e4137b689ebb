/**
 * Item-feature benchmarks: CLIP ms per text / per image (tiny fixture and a ViT-B/32-shaped
 * random-weight CLIP generated at bench time) in Node and in Chromium (wasm; webgpu for the tiny
 * model), catalog throughput with and without the embedding cache, bytes stored per item and the
 * cosine error of that compact storage. Random weights: timings are real, outputs meaningless.
 *
 *   npx tsx scripts/bench/embedding.ts [embedding-storage,embedding-node,embedding-chromium] [--quick]
 * (or `npm run bench -- --only embedding-node` once the registry lists EMBEDDING_BENCHMARKS).
 * embedding-chromium builds the app into bench-results/tmp/embedding-dist and previews it on port 4175.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunch } from '../../e2e/chromium.ts';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { loadClipEmbedder, type ClipEmbedder } from '../../src/embedding/clip-embedder.ts';
import { encodeFeatureFile } from '../../src/embedding/feature-file.ts';
import { createLexicalEncoder } from '../../src/embedding/lexical-encoder.ts';
import { dequantizeRow, quantizeRow, rowBytes, QUANTIZATIONS } from '../../src/embedding/quantize.ts';
import { cosine, randomUnitVectors } from '../../src/embedding/vector-math.ts';
import { timeIt, type Benchmark, type BenchContext, type Measurement } from './types.ts';

const TINY = resolve('public/models/tiny-clip');
const VIT_B32 = resolve('models-bench/clip-vit-b32-random');
const TITLES = ['Stainless Steel Chef Knife, 8 inch', 'Organic Green Tea, 100 bags', 'Cast iron skillet, pre-seasoned, 12 inch', 'Dark chocolate bar 85% cocoa'];

/** Generates the ViT-B/32-shaped random CLIP (~600 MB fp32, git-ignored) unless it is there. */
export function ensureVitB32(log: (m: string) => void): string {
  if (existsSync(join(VIT_B32, 'onnx/vision_model.onnx'))) return VIT_B32;
  log(`generating ${VIT_B32} (needs: apt-get install -y python3-torch python3-onnx)`);
  const run = spawnSync('/usr/bin/python3', ['scripts/make-tiny-clip.py', '--vit-b32', '--out', VIT_B32], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('scripts/make-tiny-clip.py --vit-b32 failed: is python3-torch installed?');
  return VIT_B32;
}

function texts(n: number): string[] {
  return Array.from({ length: n }, (_, k) => `${TITLES[k % TITLES.length]} #${k}`);
}

/** PNG data URLs made by sharp (a transformers.js dependency), 64x48, distinct per k. */
async function images(n: number): Promise<string[]> {
  const { default: sharp } = await import('sharp');
  return Promise.all(
    Array.from({ length: n }, async (_, k) => {
      const px = Buffer.alloc(64 * 48 * 3);
      for (let i = 0; i < px.length; i++) px[i] = (i * (k + 3) * 29) % 256;
      const png = await sharp(px, { raw: { width: 64, height: 48, channels: 3 } }).png().toBuffer();
      return `data:image/png;base64,${png.toString('base64')}`;
    }),
  );
}

async function clipNode(label: string, clip: ClipEmbedder, ctx: BenchContext, runs: number): Promise<Measurement[]> {
  const backend = 'node onnxruntime-node (cpu)';
  const imgs = await images(8);
  const perItem = (samples: number[], n: number) => samples.map((s) => s / n);
  const one = await timeIt(() => clip.embedTexts(texts(1)), runs);
  const sixteen = perItem(await timeIt(() => clip.embedTexts(texts(16)), Math.max(2, runs / 4)), 16);
  const img1 = await timeIt(() => clip.embedImages(imgs.slice(0, 1)), runs);
  const img8 = perItem(await timeIt(() => clip.embedImages(imgs), Math.max(2, runs / 4)), 8);
  ctx.log(`${label}: text ${one[0]?.toFixed(1)} ms, image ${img1[0]?.toFixed(1)} ms`);
  return [
    { name: `${label}: ms per text, batch 1`, backend, unit: 'ms', samples: one },
    { name: `${label}: ms per text, batch 16`, backend, unit: 'ms', samples: sixteen },
    { name: `${label}: ms per image, batch 1`, backend, unit: 'ms', samples: img1 },
    { name: `${label}: ms per image, batch 8`, backend, unit: 'ms', samples: img8 },
  ];
}

export const embeddingNodeBench: Benchmark = {
  name: 'embedding-node',
  description: 'CLIP (tiny fixture, ViT-B/32-shaped random weights) and lexical encoder in Node: ms per text / image',
  async run(ctx) {
    const out: Measurement[] = [];
    const catalog = (await loadDataset()).catalog;
    const lexical = createLexicalEncoder();
    const lex = await timeIt(() => lexical.encodeCatalog(catalog), ctx.quick ? 1 : 3, 0);
    out.push({ name: 'lexical-v1-d256: ms per Food-Kitchen title', backend: 'node (plain TS)', unit: 'ms', samples: lex.map((s) => s / catalog.size), note: `${catalog.size} titles` });
    const tiny = await loadClipEmbedder({ model: TINY, batchSize: 16 });
    out.push(...(await clipNode('tiny-clip (hidden 32, 32 px)', tiny, ctx, 20)));
    await tiny.dispose();
    if (!ctx.quick) {
      const t0 = performance.now();
      const big = await loadClipEmbedder({ model: ensureVitB32(ctx.log), batchSize: 16 });
      out.push({ name: 'ViT-B/32 random: load (text + vision, fp32)', backend: 'node onnxruntime-node (cpu)', unit: 'ms', samples: [performance.now() - t0] });
      out.push(...(await clipNode('ViT-B/32 random (224 px)', big, ctx, 8)));
      await big.dispose();
    }
    return out;
  },
};

export const embeddingStorageBench: Benchmark = {
  name: 'embedding-storage',
  description: 'Bytes per stored item vector (fp32 / fp16 / int8+scale) and their cosine error vs fp32',
  async run(ctx) {
    const out: Measurement[] = [];
    const catalog = (await loadDataset()).catalog;
    const lexTable = createLexicalEncoder().encodeCatalog(catalog);
    const lexRows = Array.from({ length: 2000 }, (_, k) => lexTable.vectors.subarray((k * 17 + 1) * 256, (k * 17 + 2) * 256));
    const sets = [
      { label: 'CLIP-like (random unit, dim 512)', rows: randomUnitVectors(2000, 512, 7) },
      { label: 'lexical-v1-d256 (Food-Kitchen titles)', rows: lexRows },
    ];
    for (const { label, rows } of sets) {
      const dim = rows[0]!.length;
      for (const q of QUANTIZATIONS) {
        const view = new DataView(new ArrayBuffer(rowBytes(q, dim)));
        const back = new Float32Array(dim);
        const errors = rows.map((row) => {
          quantizeRow(row, q, view, 0);
          dequantizeRow(view, 0, q, back, 0, dim);
          return 1 - cosine(row, back);
        });
        const worst = Math.max(...errors);
        const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
        out.push({ name: `${label}: ${q} bytes per vector`, backend: 'node', unit: 'B', samples: [rowBytes(q, dim)] });
        out.push({ name: `${label}: ${q} cosine error (1 - cos), max over ${rows.length}`, backend: 'node', unit: '', samples: [worst], note: `mean ${mean.toExponential(2)}` });
      }
    }
    for (const q of ['fp16', 'int8'] as const) {
      const bytes = (await encodeFeatureFile(catalog, [lexTable], q)).byteLength;
      out.push({ name: `Food-Kitchen lexical feature file (${q}): bytes per item`, backend: 'npm run embed', unit: 'B', samples: [bytes / catalog.size], note: `${(bytes / 1e6).toFixed(1)} MB total` });
    }
    ctx.log('storage measured');
    return out;
  },
};

/** Serves a model folder in the hub layout /{model}/resolve/{revision}/{file} on 127.0.0.1, with CORS. */
async function serveHubLayout(dir: string, model: string): Promise<{ host: string; server: Server }> {
  const prefix = `/${model}/resolve/`;
  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const rest = req.url?.startsWith(prefix) ? req.url.slice(prefix.length).replace(/^[^/]+\//, '') : '';
    const file = normalize(rest);
    if (!rest || file.startsWith('..') || !existsSync(join(dir, file))) return void res.writeHead(404).end();
    const body = readFileSync(join(dir, file));
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { server, host: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

const PREVIEW_PORT = 4175;
/** A private build: dist/ is shared with other engineers' builds and tests. */
const BENCH_DIST = 'bench-results/tmp/embedding-dist';

function buildPrivate(log: (m: string) => void): void {
  log(`building the app into ${BENCH_DIST}`);
  const run = spawnSync(resolve('node_modules/.bin/vite'), ['build', '--outDir', BENCH_DIST, '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('vite build failed');
}

/** Own `vite preview` of dist/ on a port nobody else's bench uses; stopped by its pid afterwards. */
async function withEmbeddingPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  const server = spawn(resolve('node_modules/.bin/vite'), ['preview', '--outDir', BENCH_DIST, '--host', '127.0.0.1', '--port', String(PREVIEW_PORT), '--strictPort'], { stdio: 'ignore' });
  const browser = await chromium.launch(chromiumLaunch());
  try {
    const base = `http://127.0.0.1:${PREVIEW_PORT}/`;
    for (let t = 0; ; t++) {
      if (server.exitCode !== null) throw new Error(`vite preview exited (${server.exitCode}): is port ${PREVIEW_PORT} taken?`);
      if (await fetch(base).then((r) => r.ok, () => false)) break;
      if (t > 240) throw new Error(`vite preview did not answer at ${base}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const page = await browser.newPage();
    await page.goto(`${base}e2e/pages/embedding.html`, { waitUntil: 'commit' });
    return await fn(page);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

async function timePage(page: Page, fn: 'timeTexts' | 'timeImages', n: number, runs: number): Promise<number[]> {
  await page.evaluate(([f, k]) => window.embeddingPage[f](k), [fn, n] as const);
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) samples.push((await page.evaluate(([f, k]) => window.embeddingPage[f](k), [fn, n] as const)) / n);
  return samples;
}

async function chromiumClip(page: Page, label: string, backend: string, sizes: { text: number; image: number }, runs: number): Promise<Measurement[]> {
  return [
    { name: `${label}: ms per text, batch 1`, backend, unit: 'ms', samples: await timePage(page, 'timeTexts', 1, runs) },
    { name: `${label}: ms per text, batch ${sizes.text}`, backend, unit: 'ms', samples: await timePage(page, 'timeTexts', sizes.text, Math.max(2, runs / 3)) },
    { name: `${label}: ms per image, batch 1`, backend, unit: 'ms', samples: await timePage(page, 'timeImages', 1, runs) },
    { name: `${label}: ms per image, batch ${sizes.image}`, backend, unit: 'ms', samples: await timePage(page, 'timeImages', sizes.image, Math.max(2, runs / 3)) },
  ];
}

async function throughput(page: Page, label: string, backend: string, n: number): Promise<Measurement[]> {
  await page.evaluate(() => window.embeddingPage.clearCache());
  const cold = await page.evaluate((k) => window.embeddingPage.embedCatalog(k), n);
  const warm = await page.evaluate((k) => window.embeddingPage.embedCatalog(k), n);
  const info = await page.evaluate(() => window.embeddingPage.cacheInfo());
  const note = `${n} items (titles + 64x48 canvas images, some missing), worker + IndexedDB`;
  return [
    { name: `${label}: catalog items/s, empty cache`, backend, unit: 'items/s', samples: [n / (cold.ms / 1000)], note },
    { name: `${label}: catalog items/s, all cached (0 model runs: ${warm.runs.text + warm.runs.image === 0})`, backend, unit: 'items/s', samples: [n / (warm.ms / 1000)], note },
    { name: `${label}: main-thread max timer gap while embedding`, backend, unit: 'ms', samples: [cold.maxGapMs], note: `longest main-thread long task ${Math.max(0, ...cold.longTasksMs).toFixed(0)} ms (0 = none)` },
    { name: `${label}: IndexedDB payload bytes per cached vector (fp16)`, backend, unit: 'B', samples: [info.payloadBytes / info.count] },
  ];
}

export const embeddingChromiumBench: Benchmark = {
  name: 'embedding-chromium',
  description: 'CLIP in the engine worker in Chromium (wasm; webgpu on the software adapter for tiny only), catalog throughput with/without cache',
  async run(ctx) {
    buildPrivate(ctx.log);
    const big = ctx.quick ? undefined : await serveHubLayout(ensureVitB32(ctx.log), 'bench/clip-vit-b32-random');
    try {
      return await withEmbeddingPage(async (page) => {
        await page.waitForFunction(() => document.body.dataset.ready === 'true');
        const out: Measurement[] = [];
        const load = (options: Parameters<typeof window.embeddingPage.load>[0]) => page.evaluate((o) => window.embeddingPage.load(o), options);
        await load({ model: '/models/tiny-clip', device: 'wasm', cacheName: 'bench-embeddings' });
        out.push(...(await chromiumClip(page, 'tiny-clip', 'chromium wasm (worker)', { text: 16, image: 8 }, 15)));
        out.push(...(await throughput(page, 'tiny-clip', 'chromium wasm (worker)', ctx.quick ? 50 : 200)));
        ctx.log('tiny wasm done');
        await load({ model: '/models/tiny-clip', device: 'webgpu', cacheName: null });
        out.push(...(await chromiumClip(page, 'tiny-clip', 'chromium webgpu (SwiftShader, fallback adapter)', { text: 16, image: 8 }, 5)));
        ctx.log('tiny webgpu done');
        if (big) {
          const t0 = Date.now();
          await load({ model: 'bench/clip-vit-b32-random', remoteHost: big.host, device: 'wasm', cacheName: 'bench-embeddings' });
          out.push({ name: 'ViT-B/32 random: load (text + vision, fp32, from a local hub-layout host)', backend: 'chromium wasm (worker)', unit: 'ms', samples: [Date.now() - t0] });
          out.push(...(await chromiumClip(page, 'ViT-B/32 random', 'chromium wasm (worker)', { text: 8, image: 4 }, 4)));
          out.push(...(await throughput(page, 'ViT-B/32 random', 'chromium wasm (worker)', 24)));
          ctx.log('ViT-B/32 wasm done');
        }
        return out;
      });
    } finally {
      big?.server.close();
      big?.server.closeAllConnections();
    }
  },
};

export const EMBEDDING_BENCHMARKS: readonly Benchmark[] = [embeddingStorageBench, embeddingNodeBench, embeddingChromiumBench];

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const quick = process.argv.includes('--quick');
  const names = process.argv.slice(2).find((a) => !a.startsWith('--'))?.split(',');
  for (const bench of EMBEDDING_BENCHMARKS.filter((b) => !names || names.includes(b.name))) {
    console.log(`# ${bench.name}`);
    const ms = await bench.run({ quick, log: (m) => console.log(`  ${m}`) });
    for (const m of ms) {
      const sorted = [...m.samples].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      const range = sorted.length > 1 ? `, min ${sorted[0]!.toPrecision(4)}` : '';
      console.log(`  ${m.name} [${m.backend}]: ${median.toPrecision(4)} ${m.unit} (n=${m.samples.length}${range})${m.note ? ` (${m.note})` : ''}`);
    }
  }
}

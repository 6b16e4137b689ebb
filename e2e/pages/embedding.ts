/**
 * Test page for CLIP in the engine worker: generates a catalog with titles and canvas-drawn images,
 * embeds it through the engine worker while a main-thread timer measures responsiveness, and exposes
 * plain-data results to Playwright.
 */
import type { Item } from '../../src/catalog/types.ts';
import { fetchDataset } from '../../src/catalog/dataset-fetch.ts';
import { fetchFeatureFile } from '../../src/embedding/feature-file.ts';
import { createLexicalEncoder } from '../../src/embedding/lexical-encoder.ts';
import type { EmbeddingProgress } from '../../src/embedding/progress.ts';
import type { WorkerLoadOptions } from '../../src/embedding/load-options.ts';
import { cosine } from '../../src/embedding/vector-math.ts';
import { createEmbeddingClient } from '../../src/engine/embedding-client.ts';
import { createCatalog } from '../../src/catalog/catalog.ts';
import { embedCatalogFeatures } from '../../src/embedding/catalog-embedder.ts';
import { loadClipEmbedder } from '../../src/embedding/clip-embedder.ts';
import '../../src/embedding/ort-assets.ts';

const client = createEmbeddingClient();
const events: EmbeddingProgress[] = [];
const record = (e: EmbeddingProgress): void => void events.push(e);

const WORDS = ['steel', 'chef', 'knife', 'green', 'tea', 'organic', 'cast', 'iron', 'pan', 'dark', 'chocolate', 'bamboo', 'board'];

function drawImage(k: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = `hsl(${(k * 47) % 360} 70% 50%)`;
  ctx.fillRect(0, 0, 64, 48);
  ctx.fillStyle = `hsl(${(k * 91 + 180) % 360} 60% 30%)`;
  ctx.beginPath();
  ctx.arc(10 + ((k * 13) % 44), 24, 6 + (k % 12), 0, 2 * Math.PI);
  ctx.fill();
  return canvas.toDataURL('image/png');
}

/** Every 5th item has no image, every 7th no title: those must come back absent. */
function makeItems(n: number, renamed?: number): Item[] {
  return Array.from({ length: n }, (_, k) => {
    const title = `${WORDS[k % WORDS.length]} ${WORDS[(k * 5 + 3) % WORDS.length]} no. ${k}${k === renamed ? ' (new edition)' : ''}`;
    return {
      id: `item-${k}`,
      domain: k % 2 ? 'food' : 'kitchen',
      ...(k % 7 === 6 ? {} : { title }),
      ...(k % 5 === 4 ? {} : { image: drawImage(k) }),
    };
  });
}

/**
 * Runs `job` while a 10 ms interval timer ticks on the main thread; reports the largest gap
 * between ticks and every main-thread long task (> 50 ms) the browser observed meanwhile.
 */
async function whileTicking<T>(job: () => Promise<T>): Promise<{ value: T; maxGapMs: number; ticks: number; longTasksMs: number[] }> {
  let last = performance.now();
  let maxGapMs = 0;
  let ticks = 0;
  const longTasksMs: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasksMs.push(e.duration)));
  observer.observe({ type: 'longtask' });
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks += 1;
  }, 10);
  try {
    const value = await job();
    maxGapMs = Math.max(maxGapMs, performance.now() - last);
    // A long task is reported once it has ended: one more turn of the event loop lets the last one in.
    await new Promise((resolve) => setTimeout(resolve, 0));
    observer.takeRecords().forEach((e) => longTasksMs.push(e.duration));
    return { value, maxGapMs, ticks, longTasksMs };
  } finally {
    clearInterval(timer);
    observer.disconnect();
  }
}

const api = {
  events,
  async load(options: WorkerLoadOptions) {
    return client.load(options, record);
  },
  async embedCatalog(n: number, renamed?: number) {
    const items = makeItems(n, renamed);
    const { value, maxGapMs, ticks, longTasksMs } = await whileTicking(() => client.embedCatalog('e2e-shop', items, undefined, record));
    const tables = value.tables.map((t) => {
      const norms: number[] = [];
      let absentZero = true;
      for (let i = 1; i < t.present.length; i++) {
        const row = t.vectors.subarray(i * t.dim, (i + 1) * t.dim);
        if (t.present[i]) norms.push(Math.hypot(...row));
        else absentZero &&= row.every((x) => x === 0);
      }
      return { modality: t.modality, encoder: t.encoder, dim: t.dim, present: Array.from(t.present), norms, absentZero, first: Array.from(t.vectors.subarray(t.dim, 2 * t.dim)) };
    });
    return { tables, stats: value.stats, runs: value.runs, ms: value.ms, maxGapMs, ticks, longTasksMs, cacheWriteErrors: value.cacheWriteErrors };
  },
  async embedTexts(texts: string[]) {
    return (await client.embedTexts(texts, record)).map((v) => Array.from(v));
  },
  async embedImages(n: number) {
    return (await client.embedImages(Array.from({ length: n }, (_, k) => drawImage(k)), record)).map((v) => Array.from(v));
  },
  async loadError(options: WorkerLoadOptions) {
    try {
      await client.load(options, record);
      return null;
    } catch (error) {
      return { name: (error as Error).name, message: (error as Error).message };
    }
  },
  /** Negative control: the same catalog embedded on the main thread (no worker, no cache). */
  async embedCatalogOnMainThread(n: number) {
    const clip = await loadClipEmbedder({ model: '/models/tiny-clip', device: 'wasm' });
    const catalog = createCatalog('e2e-main-thread', makeItems(n));
    try {
      const { maxGapMs, ticks, longTasksMs } = await whileTicking(() => embedCatalogFeatures(catalog, { model: clip.id, embedder: async () => clip }));
      return { maxGapMs, ticks, longTasksMs };
    } finally {
      await clip.dispose();
    }
  },
  /**
   * Instrument check: `ms` of synchronous work on the main thread, measured by the same probe
   * as the worker path, so the test sees that probe report a long task and a stalled timer.
   */
  async blockMainThread(ms: number) {
    const { maxGapMs, longTasksMs } = await whileTicking(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const until = performance.now() + ms;
      while (performance.now() < until);
    });
    return { maxGapMs, longTasksMs };
  },
  /** Milliseconds for one worker call embedding `n` generated titles (the worker batches them). */
  async timeTexts(n: number) {
    const texts = makeItems(n).map((it, k) => it.title ?? `untitled ${k}`);
    const t0 = performance.now();
    await client.embedTexts(texts);
    return performance.now() - t0;
  },
  /** Milliseconds for one worker call embedding `n` canvas-drawn images (drawing excluded). */
  async timeImages(n: number) {
    const images = Array.from({ length: n }, (_, k) => drawImage(k));
    const t0 = performance.now();
    await client.embedImages(images);
    return performance.now() - t0;
  },
  clearCache: () => client.clearCache(),
  cacheInfo: () => client.cacheInfo(),
  reset: () => client.reset(),
  /** Loads a Node-written feature file for Food-Kitchen, checks it against the catalog and re-encodes a sample here. */
  async loadFeatureFile(url: string, datasetBase: string, sample: number[]) {
    const dataset = await fetchDataset(datasetBase);
    const file = await fetchFeatureFile(url, dataset.catalog);
    const table = file.tables[0]!;
    const encoder = createLexicalEncoder({ dim: table.dim });
    const cosines = sample.map((i) => {
      const mine = encoder.encodeItem(dataset.catalog.item(i));
      return mine ? cosine(mine, table.vectors.subarray(i * table.dim, (i + 1) * table.dim)) : null;
    });
    const present = table.present.reduce((a, b) => a + b, 0);
    return { header: file.header, present, cosines, size: dataset.catalog.size };
  },
};

declare global {
  interface Window {
    embeddingPage: typeof api;
  }
}
window.embeddingPage = api;
document.body.dataset.ready = 'true';

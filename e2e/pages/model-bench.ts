/**
 * Browser half of scripts/bench/model-haf.ts: loads the dataset and the shipped weights from
 * this origin, then times one shopper (history 50) against the whole kitchen domain on wasm
 * and webgpu. Tensors are read with await only.
 */
import { fetchDataset } from '../../src/catalog/dataset-fetch.ts';
import { createLexicalEncoder } from '../../src/embedding/lexical-encoder.ts';
import { selectBackend } from '../../src/model/backend.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { WASM_PATHS } from '../../src/model/wasm-assets.ts';
import { loadHaf } from '../../src/model/weights-io.ts';

const out = document.getElementById('out')!;
const runs = Number(new URLSearchParams(location.search).get('runs') ?? '10');
const dataset = await fetchDataset(new URL('../../data/food-kitchen/', location.href).href);
const features = [createLexicalEncoder({ dim: 256 }).encodeCatalog(dataset.catalog)];
const history = dataset.train.find((s) => s.items.length >= 50)!.items.subarray(0, 50);
const results: { backend: string; samples?: number[]; error?: string }[] = [];
for (const backend of ['wasm', 'webgpu'] as const) {
  try {
    await selectBackend(backend, { wasmPaths: WASM_PATHS });
    const { model } = await loadHaf(new URL('../../models/haf-food-kitchen/model.json', location.href).href, dataset.catalog, features);
    const rec = new HafRecommender(model, dataset.catalog);
    // JIT tiers and XNNPACK operators settle over the first calls (wasm: ~10 calls measured).
    const warmup = backend === 'wasm' ? 10 : 3;
    for (let i = 0; i < warmup; i++) await rec.score([{ history, domain: 1 }]);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await rec.score([{ history, domain: 1 }]);
      samples.push(performance.now() - start);
    }
    rec.dispose();
    results.push({ backend, samples });
  } catch (error) {
    results.push({ backend, error: (error as Error).message });
  }
  out.textContent = JSON.stringify(results);
}
document.body.dataset.ready = 'true';

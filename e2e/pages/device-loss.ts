/**
 * A tiny HAF model recommending on WebGPU, then the device destroyed mid-session: the next
 * recommendation must come back, from another backend, with the same picks. Publishes what
 * happened for e2e/device-loss.spec.ts.
 */
import { selectBackend } from '../../src/model/backend.ts';
import { createHafModel } from '../../src/model/create.ts';
import { activeWebGpuDevice, createResilientRecommender } from '../../src/model/device-loss.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../../src/model/test-fixtures.ts';
import { WASM_PATHS } from '../../src/model/wasm-assets.ts';

async function run(): Promise<unknown> {
  const start = await selectBackend('webgpu', { wasmPaths: WASM_PATHS });
  const catalog = tinyCatalog();
  // The same seed rebuilds the same weights: a stand-in for reloading them from their URL.
  const build = async () =>
    new HafRecommender(createHafModel(catalog, { config: { ...TINY, dropout: 0 }, features: [tinyText(catalog)], train: tinyTrain(), seed: 3 }), catalog, { ownsModel: true });
  const fallbacks: string[] = [];
  const recommender = await createResilientRecommender({
    build,
    wasmPaths: WASM_PATHS,
    onFallback: (choice, reason) => fallbacks.push(`${choice.backend} (${reason})`),
  });
  const history = Int32Array.from([1, 7, 2, 8, 3]);
  const before = await recommender.recommend(history, 0, 3);
  const beforeBackend = recommender.backend();
  activeWebGpuDevice()!.destroy();
  const after = await recommender.recommend(history, 0, 3);
  const again = await recommender.recommend(history, 1, 3);
  return { started: start.backend, beforeBackend, afterBackend: recommender.backend(), before, after, again: again.length, fallbacks };
}

const out = document.getElementById('out');
run().then(
  (result) => {
    if (out) out.textContent = JSON.stringify(result);
  },
  (error: unknown) => {
    if (out) out.textContent = JSON.stringify({ error: `${(error as Error).name}: ${(error as Error).message}` });
  },
).finally(() => (document.body.dataset.ready = 'true'));

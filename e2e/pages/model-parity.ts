/**
 * Runs one forward pass (scores) and one training step of a tiny HAF model on each backend
 * and publishes the numbers; the spec compares them. Reads tensors with await only (webgpu).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/model/backend.ts';
import { createHafModel } from '../../src/model/create.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { createRng } from '../../src/model/rng.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../../src/model/test-fixtures.ts';
import { trainStep } from '../../src/model/train-step.ts';
import { WASM_PATHS } from '../../src/model/wasm-assets.ts';

interface BackendResult {
  readonly backend: string;
  readonly scores?: number[];
  readonly loss?: number;
  readonly updated?: number[];
  readonly error?: string;
}

async function runOn(name: BackendName): Promise<BackendResult> {
  try {
    await selectBackend(name, { wasmPaths: WASM_PATHS });
  } catch (error) {
    return { backend: name, error: (error as Error).message };
  }
  const catalog = tinyCatalog();
  const train = tinyTrain();
  const model = createHafModel(catalog, { config: { ...TINY, dropout: 0 }, features: [tinyText(catalog)], train, seed: 3 });
  const rec = new HafRecommender(model, catalog);
  try {
    const history = Int32Array.from([1, 7, 2, 8, 3]);
    const scores = await rec.score([{ history, domain: 0 }, { history, domain: 1 }]);
    const optimizer = tf.train.adam(0.01);
    const data = { train, domainItems: catalog.domainItems, domainOf: catalog.domainOf };
    const step = await trainStep(model, optimizer, train.slice(0, 6).map((s) => ({ history: s.items })), data, { negatives: 4, weightDecay: 0 }, createRng(5));
    optimizer.dispose();
    const updated: number[] = [];
    for (const v of model.params.values()) updated.push(...Array.from((await v.data()) as Float32Array).slice(0, 16));
    return { backend: tf.getBackend(), scores: scores.flatMap((s) => Array.from(s)), loss: step.loss, updated };
  } finally {
    rec.dispose();
  }
}

const results: BackendResult[] = [];
for (const name of ['cpu', 'wasm', 'webgpu'] as const) results.push(await runOn(name));
const out = document.getElementById('out');
if (out) out.textContent = JSON.stringify(results);
document.body.dataset.ready = 'true';

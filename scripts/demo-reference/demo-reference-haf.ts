/**
 * Node-only (tests and e2e/demo-expected.ts): what the eval CLI computes for the shipped HAF
 * weights, alone and blended with the co-occurrence prior, on the first test shoppers.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../../src/catalog/types.ts';
import { createLexicalEncoder, lexicalOptionsFor } from '../../src/embedding/lexical-encoder.ts';
import { buildModel } from '../../src/engine/model-registry.ts';
import { evaluate, type EvalReport } from '../../src/eval/evaluate.ts';
import { fileHandler, MODEL_FILE, selectNodeBackend, WEIGHTS_FILE } from '../../src/model/node.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { loadHaf, readHafArtifacts } from '../../src/model/weights-io.ts';

export const SHIPPED_DIR = 'public/models/haf-food-kitchen';
export const SHIPPED_USERS = 40;
/** Node wasm and browser wasm may round differently and flip near-ties: metrics agree within this. */
export const SHIPPED_TOLERANCE = 1e-3;

export interface ShippedReference {
  readonly users: number;
  readonly tolerance: number;
  /** sha256 of model.json + weights.bin: the numbers belong to exactly these weights. */
  readonly weights: string;
  readonly reports: { readonly haf: EvalReport; readonly 'haf+cooccurrence': EvalReport };
}

export async function shippedWeightsHash(dir = SHIPPED_DIR): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [MODEL_FILE, WEIGHTS_FILE]) hash.update(await readFile(join(dir, file)));
  return hash.digest('hex');
}

/** The CLI's `--model haf` and `--model haf+cooccurrence` (wasm backend), full ranking, first `users` test shoppers. */
export async function computeShippedReference(dataset: Dataset, users = SHIPPED_USERS, dir = SHIPPED_DIR): Promise<ShippedReference> {
  await selectNodeBackend('wasm');
  const { catalog } = dataset;
  const weights = await readHafArtifacts(fileHandler(dir));
  const features = lexicalOptionsFor(weights.manifest.features, 'the demo reference').map((options) => createLexicalEncoder(options).encodeCatalog(catalog));
  const { model } = await loadHaf(weights, catalog, features);
  const haf = new HafRecommender(model, catalog, { name: 'haf' });
  const blend = await buildModel('haf+cooccurrence', { dataset, haf: async () => haf });
  try {
    const cases = dataset.test.slice(0, users);
    const reports = {
      haf: await evaluate(haf, catalog, cases, { split: 'test', full: true }),
      'haf+cooccurrence': await evaluate(blend, catalog, cases, { split: 'test', full: true }),
    };
    return { users, tolerance: SHIPPED_TOLERANCE, weights: await shippedWeightsHash(dir), reports };
  } finally {
    blend.dispose();
  }
}

/** Shared by scripts/train.ts, the eval registry and the benchmarks: backend and features for HAF in Node. */
import { readFile } from 'node:fs/promises';
import type { FeatureTable } from '../src/catalog/features.ts';
import type { Catalog, TrainingData } from '../src/catalog/types.ts';
import { createLexicalEncoder, LEXICAL_DEFAULT_DIM, lexicalOptionsFor } from '../src/embedding/lexical-encoder.ts';
import type { Recommender } from '../src/eval/recommender.ts';
import type { HafManifest } from '../src/model/manifest.ts';
import { fileHandler, selectNodeBackend } from '../src/model/node.ts';
import { HafRecommender } from '../src/model/recommender.ts';
import { loadHaf, readHafArtifacts } from '../src/model/weights-io.ts';
import { WeightsFormatError } from '../src/model/errors.ts';
import type { Args } from './args.ts';

export const SHIPPED_WEIGHTS = 'public/models/haf-food-kitchen';
/** The HAF ensemble's member list (CLI only: its d = 128 members stay out of the demo's download). */
export const SHIPPED_ENSEMBLE = 'models/haf-food-kitchen-ensemble/members.json';
const lexicalTables = new WeakMap<Catalog, Map<string, FeatureTable>>();

/**
 * Lexical text features (hashed n-grams; NOT CLIP: no CLIP weights can be downloaded here),
 * computed once per catalog and size: ~1.5 s for Food-Kitchen, and an ensemble or a
 * selection run loads several models that all read the same table (models copy it).
 */
export function lexicalFeatures(catalog: Catalog, dim = LEXICAL_DEFAULT_DIM, seed = 0): FeatureTable {
  let tables = lexicalTables.get(catalog);
  if (!tables) lexicalTables.set(catalog, (tables = new Map()));
  let table = tables.get(`${dim}:${seed}`);
  if (!table) tables.set(`${dim}:${seed}`, (table = createLexicalEncoder({ dim, seed }).encodeCatalog(catalog)));
  return table;
}

/** The feature tables saved weights ask for (the lexical encoder is the only one Node can rebuild). */
export function featuresForManifest(catalog: Catalog, manifest: HafManifest): FeatureTable[] {
  return lexicalOptionsFor(manifest.features, 'this CLI').map(({ dim, seed }) => lexicalFeatures(catalog, dim, seed));
}

/** The CLIs' HAF for the model registry's `haf` kinds: loads weights (default: shipped) on Node wasm. */
export async function loadHafRecommender(dataset: TrainingData, args: Args): Promise<Recommender> {
  const backend = args.backend === 'cpu' || args.backend === 'webgpu' ? args.backend : 'wasm';
  await selectNodeBackend(backend);
  const dir = typeof args.weights === 'string' ? args.weights : SHIPPED_WEIGHTS;
  const weights = await readHafArtifacts(fileHandler(dir));
  const features = featuresForManifest(dataset.catalog, weights.manifest);
  const { model } = await loadHaf(weights, dataset.catalog, features);
  return new HafRecommender(model, dataset.catalog, { name: `haf (${dir})` });
}

export interface EnsembleMembers {
  readonly dirs: readonly string[];
  readonly weights: readonly number[];
}

/** Reads a members file ({ members: [{ weights: dir, weight: w }] }, dirs relative to the working directory). */
export async function readEnsembleMembers(path: string): Promise<EnsembleMembers> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as { members?: unknown };
  const members = Array.isArray(parsed.members) ? (parsed.members as { weights?: unknown; weight?: unknown }[]) : [];
  const valid = members.length > 0 && members.every((m) => typeof m.weights === 'string' && typeof m.weight === 'number' && m.weight >= 0);
  if (!valid) throw new WeightsFormatError(`${path}: expected { "members": [{ "weights": "dir", "weight": number >= 0 }, ...] }`);
  return { dirs: members.map((m) => m.weights as string), weights: members.map((m) => m.weight as number) };
}

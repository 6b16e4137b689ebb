/**
 * Node-only: `npm run bundle` as a library. Writes the static files a shop serves (catalog,
 * HAF weights, the co-occurrence prior, a `haf` model manifest), then loads them back through
 * the storefront worker's own loaders and chooses the blend weight on the VALID split only
 * (evaluateBlendGrid + chooseServed): a bundle never serves less than the prior alone on valid.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset } from '../catalog/dataset-load.ts';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import type { Catalog, Dataset, EvalCase } from '../catalog/types.ts';
import type { FeatureTable } from '../catalog/features.ts';
import { countTransitions, DEFAULT_COOCCURRENCE } from '../eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../eval/baselines/popularity.ts';
import { BLEND_RULE, chooseServed } from '../eval/blend-choice.ts';
import { evaluateBlendGrid, type GridScore } from '../eval/blend-grid.ts';
import type { HafManifest } from '../model/manifest.ts';
import { FeatureMismatchError } from '../model/errors.ts';
import { fileHandler, selectNodeBackend } from '../model/node.ts';
import type { Quantization } from '../model/quantize.ts';
import { loadHaf, readHafArtifacts, saveHaf } from '../model/weights-io.ts';
import type { BlendChoice, HafBundleFile } from '../engine/haf-bundle-file.ts';
import { loadPrior } from '../engine/haf-kind.ts';
import { loadBundleHaf } from '../engine/haf-runtime.ts';
import { cutTable, encodePrior } from '../engine/prior-binary.ts';
import type { ModelContext } from '../engine/model-context.ts';
import { CATALOG_FILE, checkSameItems, MODEL_FILE } from './bundle-load.ts';
import { fileUrlIn, folderFetch } from './file-fetch.ts';
import { sampleCases } from './valid-sample.ts';
import { ITEMS_FILE, writeItemTable } from './item-table-write.ts';
import { bundleFeatureOf, featureTablesFor } from './bundle-features.ts';
import { catalogIds } from '../catalog/catalog.ts';

/** The blend weights tried on valid (the prior alone is always tried too). */
export const BLEND_GRID = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 4] as const;
export const WEIGHTS_DIR = 'haf';
export const PRIOR_FILE = 'prior.bin';

export interface BundleOptions {
  readonly data: string;
  readonly weights: string;
  readonly out: string;
  /** Storage of the item tables in the shipped weights (default float16). */
  readonly quantization?: Quantization;
  readonly grid?: readonly number[];
  /** Transitions kept per item in the prior (its heaviest ones; 0 or absent = all). */
  readonly priorTop?: number;
  /** Choose the blend on at most this many valid shoppers (a seeded sample; absent = all). */
  readonly validSample?: number;
  /** Feature file (npm run embed) with the CLIP tables the weights were trained with; lexical ones are computed. */
  readonly features?: string;
  /** Ship HAF's item vectors computed ahead (haf/items.bin) instead of the item.id table (default true). */
  readonly itemVectors?: boolean;
  /** Choose the blend on these valid shoppers only (e.g. the ones the weights were not trained on). */
  readonly validUsers?: (user: string) => boolean;
  readonly backend?: () => Promise<unknown>;
  readonly log?: (line: string) => void;
}

export interface BundleSummary {
  readonly file: HafBundleFile;
  readonly grid: readonly GridScore[];
  /** Every file written, relative to `out`, with its size in bytes. */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  /** Seconds per phase: data, weights, prior, grid, total. */
  readonly seconds: Record<string, number>;
}

/** Re-saves the weights (checked against the dataset's catalog) with `quantization`; returns them with the catalog's feature tables. */
async function writeWeights(catalog: Catalog, from: string, to: string, quantization: Quantization, featureFile?: string): Promise<{ saved: HafManifest; tables: FeatureTable[] }> {
  const weights = await readHafArtifacts(fileHandler(from));
  const { manifest } = weights;
  const tables = await featureTablesFor(manifest.config.idOnly ? [] : manifest.features, catalog, featureFile);
  const { model } = await loadHaf(weights, catalog, tables);
  try {
    return { saved: await saveHaf(model, catalog, tables, fileHandler(to), { quantization, ...(manifest.training ? { training: manifest.training } : {}) }), tables };
  } finally {
    model.dispose();
  }
}

async function writePrior(dataset: Dataset, path: string, source: string, top: number): Promise<void> {
  const table = cutTable(countTransitions(dataset.catalog.size, dataset.train, DEFAULT_COOCCURRENCE), top);
  const bytes = encodePrior(table, countOccurrences(dataset.catalog, dataset.train), { params: DEFAULT_COOCCURRENCE, top, source });
  await writeFile(path, bytes);
}

function manifestOf(dataset: Dataset, saved: HafManifest, quantization: Quantization, blend: BlendChoice, source: string, items: boolean): HafBundleFile {
  return {
    format: 'hafrec-model',
    version: 1,
    kind: 'haf',
    source,
    ids: catalogIds(dataset.catalog),
    weights: `${WEIGHTS_DIR}/model.json`,
    ...(items ? { items: `${WEIGHTS_DIR}/${ITEMS_FILE}` } : {}),
    quantization,
    features: saved.features.map(bundleFeatureOf),
    prior: PRIOR_FILE,
    blend,
  };
}

/** What the grid chose, with every candidate's valid scores. */
export function blendChoice(grid: readonly GridScore[]): BlendChoice {
  const served = grid.length === 0 ? { weight: 0 } : chooseServed(grid);
  return {
    serves: served.weight === null ? 'prior' : 'haf+prior',
    weight: served.weight ?? 0,
    split: 'valid',
    metric: 'NDCG@10 (sampled: 999 negatives; full: whole domain)',
    rule: BLEND_RULE,
    candidates: grid.map((g) => ({ weight: g.weight, sampledNdcg10: round(g.sampled.overall!['NDCG@10']), fullNdcg10: round(g.full.overall!['NDCG@10']) })),
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The worker's view of the bundle folder: the catalog as the tag serves it, files through fetch. */
async function siteContext(out: string, dataset: Dataset, manifest: HafBundleFile, backend: () => Promise<unknown>): Promise<ModelContext> {
  const catalog = parseCatalogJson(JSON.parse(await readFile(join(out, CATALOG_FILE), 'utf8')), fileUrlIn(out, CATALOG_FILE));
  checkSameItems(catalog, dataset.catalog, out);
  return { manifest: manifest as unknown as Record<string, unknown>, catalog, url: fileUrlIn(out, MODEL_FILE), fetch: folderFetch(out), backend };
}

async function chooseOnValid(context: ModelContext, file: HafBundleFile, valid: readonly EvalCase[], grid: readonly number[]): Promise<GridScore[]> {
  const haf = await loadBundleHaf(context, file);
  const prior = await loadPrior(context, file);
  try {
    return await evaluateBlendGrid(haf, prior, context.catalog, valid, grid);
  } finally {
    haf.dispose();
    prior.dispose();
  }
}

export async function writeBundle(options: BundleOptions): Promise<BundleSummary> {
  const started = performance.now();
  const seconds: Record<string, number> = {};
  const lap = (phase: string, from: number): number => ((seconds[phase] = (performance.now() - from) / 1000), performance.now());
  const log = options.log ?? (() => undefined);
  const backend = options.backend ?? (() => selectNodeBackend('wasm'));
  const quantization = options.quantization ?? 'float16';
  const source = `npm run bundle -- --data ${options.data} --weights ${options.weights}${options.features ? ` --features ${options.features}` : ''}`;
  let t = performance.now();
  const dataset = await loadDataset(options.data);
  await mkdir(options.out, { recursive: true });
  await writeFile(join(options.out, CATALOG_FILE), `${JSON.stringify({ items: dataset.catalog.items })}\n`);
  t = lap('data', t);
  await backend();
  const { saved, tables } = await writeWeights(dataset.catalog, options.weights, join(options.out, WEIGHTS_DIR), quantization, options.features);
  t = lap('weights', t);
  await writePrior(dataset, join(options.out, PRIOR_FILE), `${dataset.name} train split, ${source}`, options.priorTop ?? 0);
  t = lap('prior', t);
  const valid = validCases(dataset, options);
  log(`${options.out}: catalog (${dataset.catalog.size} items), HAF weights (${quantization}), prior written; choosing the blend weight on valid (${valid.length} of ${dataset.valid.length} shoppers)...`);
  const items = options.itemVectors ?? true;
  if (!items && saved.features.some((f) => bundleFeatureOf(f).source === 'clip')) throw new FeatureMismatchError('weights with CLIP features need itemVectors (haf/items.bin): a visit must not run CLIP on the bundle\'s own items');
  const plain = manifestOf(dataset, saved, quantization, blendChoice([]), source, false);
  const context = await siteContext(options.out, dataset, plain, backend);
  if (items) await writeItemTable(context, plain, join(options.out, WEIGHTS_DIR), tables);
  t = lap('items', t);
  const provisional = manifestOf(dataset, saved, quantization, blendChoice([]), source, items);
  const grid = await chooseOnValid(context, provisional, valid, options.grid ?? BLEND_GRID);
  lap('grid', t);
  const file = manifestOf(dataset, saved, quantization, blendChoice(grid), source, items);
  await writeFile(join(options.out, MODEL_FILE), `${JSON.stringify(file)}\n`);
  seconds.total = (performance.now() - started) / 1000;
  return { file, grid, files: await listFiles(options.out), seconds };
}

/** The valid cases the blend is chosen on: `validUsers` only, then at most `validSample` of them. */
function validCases(dataset: Dataset, options: BundleOptions): readonly EvalCase[] {
  const { validUsers } = options;
  return sampleCases(validUsers ? dataset.valid.filter((c) => validUsers(c.user)) : dataset.valid, options.validSample);
}

async function listFiles(out: string): Promise<{ path: string; bytes: number }[]> {
  const paths = [CATALOG_FILE, MODEL_FILE, PRIOR_FILE, `${WEIGHTS_DIR}/model.json`, `${WEIGHTS_DIR}/weights.bin`, `${WEIGHTS_DIR}/${ITEMS_FILE}`];
  const present = await Promise.all(paths.map((p) => stat(join(out, p)).then(() => true, () => false)));
  return Promise.all(paths.filter((_, i) => present[i]).map(async (path) => ({ path, bytes: (await stat(join(out, path))).size })));
}

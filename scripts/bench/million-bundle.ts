/**
 * A synthetic `haf` bundle folder for a catalog of a million-plus items across four domains,
 * written the way `npm run bundle` lays one out (catalog.json, model.json, haf/model.json +
 * weights.bin without `item.id`, haf/items.bin, prior.bin) but without training or the item
 * tower: the weights are seeded random (ID-only, d = 64) and the item rows seeded Gaussian,
 * quantized row by row as items.bin stores them. A speed and memory fixture, not a model.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { catalogIds, createCatalog } from '../../src/catalog/catalog.ts';
import type { Catalog, Item, Sequence } from '../../src/catalog/types.ts';
import { BLEND_RULE } from '../../src/eval/blend-choice.ts';
import { countTransitions, DEFAULT_COOCCURRENCE } from '../../src/eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../../src/eval/baselines/popularity.ts';
import { encodePrior } from '../../src/engine/prior-binary.ts';
import { ITEM_LEVELS, writeItemTable } from '../../src/engine/item-table-binary.ts';
import { ITEM_ID, ITEM_KNOWN } from '../../src/model/param-layout.ts';
import type { HafBundleFile } from '../../src/engine/haf-bundle-file.ts';
import { createHafModel } from '../../src/model/create.ts';
import { fileHandler, selectNodeBackend } from '../../src/model/node.ts';
import { createRng } from '../../src/model/rng.ts';
import { saveHaf } from '../../src/model/weights-io.ts';
import { bytesPerValue } from '../../src/model/weights-reindex.ts';

export const BENCH_DIM = 64;
export const BENCH_DOMAINS = ['books', 'music', 'games', 'garden'] as const;

/** Seeded Gaussian item vector of catalog row `row` (the same whatever order rows are made in). */
export function syntheticVector(row: number): Float32Array {
  const rng = createRng(row + 1);
  return Float32Array.from({ length: BENCH_DIM }, () => rng.normal());
}

/** Items of each domain, domain by domain: ids `<domain>-<k>` with a short title. */
export function syntheticItems(sizes: readonly number[]): Item[] {
  return sizes.flatMap((n, d) => Array.from({ length: n }, (_, k) => ({ id: `${BENCH_DOMAINS[d]}-${k}`, domain: BENCH_DOMAINS[d]!, title: `${BENCH_DOMAINS[d]} item ${k}` })));
}

/** items.bin of the catalog's rows (row 0 = padding), quantized to ITEM_LEVELS as `npm run bundle` stores them. */
function itemsBin(size: number): Uint8Array {
  const codes = new Int8Array((size + 1) * BENCH_DIM);
  const scales = new Float32Array(size + 1);
  for (let r = 1; r <= size; r++) {
    const v = syntheticVector(r);
    const max = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    scales[r] = max / ITEM_LEVELS;
    for (let j = 0; j < BENCH_DIM; j++) codes[r * BENCH_DIM + j] = Math.round(v[j]! / (max / ITEM_LEVELS));
  }
  return writeItemTable({ header: { version: 1, rows: size + 1, dim: BENCH_DIM, modalities: 0, levels: ITEM_LEVELS }, scales, codes });
}

/** Seeded shoppers, each a run of items of random domains (the prior's transitions). */
export function syntheticHistories(catalog: Catalog, count: number, length: number, seed: number): Sequence[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, u) => ({
    user: `u${u}`,
    items: Int32Array.from({ length }, () => 1 + Math.floor(rng.next() * catalog.size)),
  }));
}

/**
 * HAF weights for `catalog` without per-item tables of catalog size: a model made for a tiny
 * catalog of the same domains, saved, then given an all-known `item.known` of catalog size and
 * no `item.id` (items.bin replaces it), with the manifest's catalog size set to match.
 */
async function writeWeights(dir: string, catalog: Catalog): Promise<void> {
  await selectNodeBackend('wasm');
  const tiny = createCatalog('tiny', BENCH_DOMAINS.map((domain) => ({ id: `${domain}-tiny`, domain })));
  const model = createHafModel(tiny, { config: { dim: BENCH_DIM, idOnly: true }, seed: 11 });
  let saved: tf.io.ModelArtifacts | undefined;
  try {
    await saveHaf(model, tiny, [], { save: async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) });
  } finally {
    model.dispose();
  }
  const bytes = new Uint8Array(saved!.weightData as ArrayBuffer);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const spec of saved!.weightSpecs!) {
    const size = spec.shape.reduce((a, b) => a * b, 1) * bytesPerValue(spec);
    if (spec.name !== ITEM_ID && spec.name !== ITEM_KNOWN) (specs.push(spec), parts.push(bytes.subarray(at, at + size)));
    at += size;
  }
  const known = new Uint8Array(catalog.size + 1).fill(1);
  known[0] = 0;
  specs.push({ name: 'item.known', shape: [catalog.size + 1], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 1 } });
  parts.push(known);
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (data.set(p, offset), offset + p.length), 0);
  const meta = saved!.userDefinedMetadata as { hafrec: { catalog: Record<string, unknown> } };
  const hafrec = { ...meta.hafrec, catalog: { ...meta.hafrec.catalog, name: catalog.name, size: catalog.size } };
  await fileHandler(join(dir, 'haf')).save!({ ...saved!, weightSpecs: specs, weightData: data.buffer, userDefinedMetadata: { ...meta, hafrec } });
}

function manifestOf(catalog: Catalog): HafBundleFile {
  return {
    format: 'hafrec-model',
    version: 1,
    kind: 'haf',
    source: 'scripts/bench/million-bundle.ts (synthetic: seeded random weights and item rows)',
    ids: catalogIds(catalog),
    weights: 'haf/model.json',
    items: 'haf/items.bin',
    quantization: 'float32',
    features: [],
    prior: 'prior.bin',
    blend: { serves: 'haf+prior', weight: 0.2, split: 'valid', metric: 'none (synthetic)', rule: BLEND_RULE, candidates: [] },
  };
}

/** Writes the bundle folder; returns its catalog (indices as the worker will number them). */
export async function writeMillionBundle(dir: string, sizes: readonly number[]): Promise<Catalog> {
  await mkdir(join(dir, 'haf'), { recursive: true });
  const items = syntheticItems(sizes);
  const catalog = createCatalog('million', items);
  await writeFile(join(dir, 'catalog.json'), JSON.stringify({ items }));
  await writeWeights(dir, catalog);
  await writeFile(join(dir, 'haf', 'items.bin'), itemsBin(catalog.size));
  const train = syntheticHistories(catalog, 2000, 10, 5);
  const prior = encodePrior(countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE), countOccurrences(catalog, train), { params: DEFAULT_COOCCURRENCE, top: 0, source: 'synthetic shoppers' });
  await writeFile(join(dir, 'prior.bin'), prior);
  await writeFile(join(dir, 'model.json'), JSON.stringify(manifestOf(catalog)));
  return catalog;
}

/** The stamp written after everything else: a folder with it holds a whole bundle of these sizes. */
const STAMP = 'sizes.json';

/** Writes the bundle into `dir` unless a whole one of the same sizes is there already (it takes a minute and ~150 MB); true when written. */
export async function ensureMillionBundle(dir: string, sizes: readonly number[]): Promise<boolean> {
  const stamp = await readFile(join(dir, STAMP), 'utf8').catch(() => '');
  if (stamp === JSON.stringify(sizes)) return false;
  await rm(dir, { recursive: true, force: true });
  await writeMillionBundle(dir, sizes);
  await writeFile(join(dir, STAMP), JSON.stringify(sizes));
  return true;
}

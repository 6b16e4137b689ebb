/**
 * Saving and loading a trained model in the tfjs weights format (model.json + one binary),
 * through any tfjs IOHandler: `indexeddb://name` in the browser, an http(s) folder, or the
 * file handler in node.ts. The manifest rides along as userDefinedMetadata.hafrec.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog } from '../catalog/types.ts';
import { checkFeatures, modelShape } from './create.ts';
import { WeightsFormatError } from './errors.ts';
import { buildManifest, checkCompatible, parseManifest, type HafManifest } from './manifest.ts';
import { HafModel } from './model.ts';
import { ITEM_KNOWN } from './param-layout.ts';
import type { HafParams, ParamMap } from './params.ts';
import { encodeWeight, type Quantization } from './quantize.ts';

export interface SaveOptions {
  /** Storage of the large item tables (item.id, projections); everything else stays float32. */
  readonly quantization?: Quantization;
  readonly training?: Record<string, unknown>;
}

/** The item tower's tables: the ID embeddings and the content projections. */
const itemTables = (tree: HafParams): Set<tf.Variable> => new Set([tree.item.id, ...Object.values(tree.item.proj).flatMap((p) => [p.w, p.b])]);

export async function saveHaf(
  model: HafModel,
  catalog: Catalog,
  features: readonly FeatureTable[],
  destination: string | tf.io.IOHandler,
  options: SaveOptions = {},
): Promise<HafManifest> {
  const quantization = options.quantization ?? 'float32';
  const manifest = buildManifest(model.config, catalog, features, quantization, options.training);
  const tables = itemTables(model.tree);
  const parts = [];
  for (const [name, v] of model.params) {
    const values = (await v.data()) as Float32Array;
    parts.push(encodeWeight(name, [...v.shape], values, tables.has(v) ? quantization : 'float32'));
  }
  parts.push(encodeWeight(ITEM_KNOWN, [catalog.size + 1], await model.knownItems(), 'uint8'));
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p.bytes, at);
    at += p.bytes.length;
  }
  const handler = typeof destination === 'string' ? tf.io.getSaveHandlers(destination)[0] : destination;
  if (!handler?.save) throw new WeightsFormatError(`cannot save to ${String(destination)}: no tfjs save handler for it`);
  await handler.save({
    modelTopology: { hafrec: manifest.format },
    format: 'hafrec',
    generatedBy: 'hafrec',
    convertedBy: null,
    weightSpecs: parts.map((p) => p.spec),
    weightData: data.buffer,
    userDefinedMetadata: { hafrec: manifest as unknown as object },
  });
  return manifest;
}

export interface HafArtifacts {
  readonly artifacts: tf.io.ModelArtifacts;
  readonly manifest: HafManifest;
}

/**
 * The one reader of saved weights: their bytes and parsed manifest, read once. A caller that
 * must see the manifest first (to build the features it names) passes the result to loadHaf.
 */
export async function readHafArtifacts(source: string | tf.io.IOHandler): Promise<HafArtifacts> {
  const handler = typeof source === 'string' ? tf.io.getLoadHandlers(source)[0] ?? tf.io.http(source) : source;
  if (!handler.load) throw new WeightsFormatError(`cannot load from ${String(source)}: no tfjs load handler for it`);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (error) {
    throw new WeightsFormatError(`cannot read HAF weights from ${String(source)}: ${(error as Error).message}`);
  }
  return { artifacts, manifest: parseManifest((artifacts.userDefinedMetadata as { hafrec?: unknown } | undefined)?.hafrec) };
}

/** Reads the manifest and weights, checks them against the catalog and features, builds the model. */
export async function loadHaf(
  source: string | tf.io.IOHandler | HafArtifacts,
  catalog: Catalog,
  features: readonly FeatureTable[] = [],
): Promise<{ model: HafModel; manifest: HafManifest }> {
  const { artifacts, manifest } = typeof source === 'object' && 'manifest' in source ? source : await readHafArtifacts(source);
  checkCompatible(manifest, catalog, features);
  checkFeatures(catalog, features);
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new WeightsFormatError(`the HAF weights${typeof source === "string" ? ` at ${source}` : ""} have no weight data`);
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const used = manifest.config.idOnly ? [] : manifest.features.map((f) => features.find((g) => g.modality === f.modality)!);
  const shape = modelShape(catalog, manifest.config, used);
  const known = tensors[ITEM_KNOWN];
  const params: ParamMap = new Map();
  try {
    if (!known) throw new WeightsFormatError(`weights lack "${ITEM_KNOWN}"`);
    const knownItems = Uint8Array.from(await known.data());
    for (const [name, t] of Object.entries(tensors)) {
      if (name !== ITEM_KNOWN) params.set(name, tf.variable(t, true, `haf/${name}/loaded-${loadCounter++}`));
    }
    return { model: new HafModel(manifest.config, shape, params, used, knownItems), manifest };
  } catch (error) {
    for (const v of params.values()) v.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

let loadCounter = 0;

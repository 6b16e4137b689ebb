/** Builds a fresh, deterministically initialized model for a catalog and its feature tables. */
import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog, Sequence } from '../catalog/types.ts';
import { resolveConfig, type HafConfig } from './config.ts';
import { ConfigError, FeatureMismatchError } from './errors.ts';
import { HafModel } from './model.ts';
import * as tf from '@tensorflow/tfjs';
import { cooccurrenceItemInit, type ItemInit } from './item-init.ts';
import type { ModelShape } from './param-layout.ts';
import { createParams } from './params.ts';
import { createRng } from './rng.ts';

export interface CreateHafOptions {
  readonly config?: Partial<HafConfig>;
  /** Frozen content features (at most one table per modality). */
  readonly features?: readonly FeatureTable[];
  readonly seed?: number;
  /** Training histories: items that occur in them get an ID embedding in the item tower. */
  readonly train?: readonly Sequence[];
  /** `cooccurrence`: ID rows of items that co-occur in `train` start from its co-occurrence (item-init.ts); default random. */
  readonly itemInit?: ItemInitKind;
}

export const ITEM_INITS = ['random', 'cooccurrence'] as const;
export type ItemInitKind = (typeof ITEM_INITS)[number];

/** One eigen-decomposition per training set and width: a settings search builds many models from the same data. */
const initCache = new WeakMap<readonly Sequence[], Map<number, ItemInit>>();

function itemInitFor(train: readonly Sequence[], size: number, dim: number): ItemInit {
  let byDim = initCache.get(train);
  if (!byDim) initCache.set(train, (byDim = new Map()));
  let init = byDim.get(dim);
  if (!init) byDim.set(dim, (init = cooccurrenceItemInit(train, size, dim)));
  return init;
}

/** Overwrites the rows of the ID table [size + 1, d] that the co-occurrence init has. */
function applyItemInit(table: tf.Variable, init: ItemInit, dim: number): void {
  const rows = Float32Array.from(table.dataSync());
  init.has.forEach((has, i) => {
    if (has) rows.set(init.rows.subarray(i * dim, (i + 1) * dim), i * dim);
  });
  tf.tidy(() => table.assign(tf.tensor2d(rows, table.shape as [number, number])));
}

export function modelShape(catalog: Catalog, config: HafConfig, features: readonly FeatureTable[]): ModelShape {
  return {
    items: catalog.size,
    domains: catalog.domains.length,
    modalities: config.idOnly ? [] : features.map((f) => ({ name: f.modality, dim: f.dim })),
  };
}

export function checkFeatures(catalog: Catalog, features: readonly FeatureTable[]): void {
  const seen = new Set<string>();
  for (const f of features) {
    if (seen.has(f.modality)) throw new FeatureMismatchError(`two feature tables for modality "${f.modality}": give at most one per modality`);
    seen.add(f.modality);
    if (f.vectors.length !== (catalog.size + 1) * f.dim || f.present.length !== catalog.size + 1) {
      throw new FeatureMismatchError(
        `feature table "${f.encoder}" (${f.modality}) has ${f.present.length - 1} items of dim ${f.dim}, ` +
          `but catalog "${catalog.name}" has ${catalog.size} items: vectors must be (size + 1) * dim long`,
      );
    }
  }
}

/** [size + 1] 1 for items that appear in `train`. Without training data every item counts. */
export function knownItems(size: number, train?: readonly Sequence[]): Uint8Array {
  const known = new Uint8Array(size + 1);
  if (!train) known.fill(1, 1);
  else for (const s of train) for (const i of s.items) known[i] = 1;
  return known;
}

export function createHafModel(catalog: Catalog, options: CreateHafOptions = {}): HafModel {
  const config = resolveConfig(options.config);
  const features = options.features ?? [];
  checkFeatures(catalog, features);
  const shape = modelShape(catalog, config, features);
  if (options.itemInit === 'cooccurrence' && !options.train) throw new ConfigError('itemInit "cooccurrence" needs the training sequences (options.train)');
  const init = options.itemInit === 'cooccurrence' ? itemInitFor(options.train!, catalog.size, config.dim) : undefined;
  const model = new HafModel(config, shape, createParams(config, shape, createRng(options.seed ?? 42)), features, knownItems(catalog.size, options.train));
  if (init) applyItemInit(model.tree.item.id, init, config.dim);
  return model;
}

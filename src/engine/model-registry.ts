import type { Recommender } from '../eval/recommender.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../eval/baselines/cooccurrence.ts';
import { countOccurrences, createPopularity } from '../eval/baselines/popularity.ts';
import { ConfigError } from '../model/errors.ts';
import { ModelFormatError } from './errors.ts';
import { loadHafKind } from './haf-kind.ts';
import { readCooccurrenceFile, readPopularityFile, type CooccurrenceFile, type PopularityFile } from './model-file.ts';
import { MODEL_KINDS, type ModelKindName } from './model-kinds.ts';
import type { DatasetBuilder, DatasetContext, ModelContext, ModelKind, ModelLoader } from './model-context.ts';

const loadCooccurrence: ModelLoader = async ({ manifest, catalog, url }) => {
  const { table, popularity } = readCooccurrenceFile(manifest as unknown as CooccurrenceFile, catalog, url);
  return createCooccurrence(catalog, table, popularity, (manifest as unknown as CooccurrenceFile).params);
};

const buildCooccurrence: DatasetBuilder = async ({ dataset: d }) =>
  createCooccurrence(d.catalog, countTransitions(d.catalog.size, d.train, DEFAULT_COOCCURRENCE), countOccurrences(d.catalog, d.train));

async function hafOf(context: DatasetContext, kind: string): Promise<Recommender> {
  if (!context.haf) throw new ConfigError(`model kind "${kind}" needs HAF weights, and this caller provides none (DatasetContext.haf)`);
  return context.haf();
}

/** HAF plus the co-occurrence prior, standardized and added (the CLIs' `haf+cooccurrence`). */
const buildBlend: DatasetBuilder = async (context) => {
  // Lazily: in the storefront worker the blend belongs to the haf kind's lazy chunk.
  const { createPriorBlend, DEFAULT_BLEND_WEIGHT } = await import('../eval/blend.ts');
  const haf = await hafOf(context, 'haf+cooccurrence');
  const prior = await buildCooccurrence(context);
  return createPriorBlend(haf, prior, context.dataset.catalog, context.blendWeight ?? DEFAULT_BLEND_WEIGHT);
};

/**
 * Each built-in kind's code, keyed by the names in model-kinds.ts. Manifest loaders import
 * their heavy code lazily, so a kind costs nothing until a store's manifest names it (the HAF
 * model and tfjs load only for `haf`).
 */
const CODE = {
  cooccurrence: { load: loadCooccurrence, build: buildCooccurrence },
  popularity: {
    load: async ({ manifest, catalog, url }) => createPopularity(catalog, readPopularityFile(manifest as unknown as PopularityFile, catalog, url)),
    build: async ({ dataset: d }) => createPopularity(d.catalog, countOccurrences(d.catalog, d.train)),
  },
  'haf+cooccurrence': { build: buildBlend },
  haf: { load: loadHafKind, build: (context) => hafOf(context, 'haf') },
} satisfies Record<ModelKindName, Pick<ModelKind, 'load' | 'build'>>;

const KINDS = new Map<string, ModelKind>(
  Object.entries(MODEL_KINDS).map(([name, { label }]) => [name, { name, label, ...CODE[name as ModelKindName] }]),
);

/** Adds a kind or replaces one of the same name (the CLIs add theirs: haf-ensemble, bundle). */
export function registerModelKind(kind: ModelKind): void {
  KINDS.set(kind.name, kind);
}

/** Every registered kind, built-ins first in model-kinds.ts order. */
export function modelKinds(): ModelKind[] {
  return [...KINDS.values()];
}

const namesOf = (way: 'load' | 'build'): string => modelKinds().filter((k) => k[way]).map((k) => k.name).join(', ');

/** A kind built from a training dataset; an unknown name is a ConfigError listing the valid ones. */
export async function buildModel(name: string, context: DatasetContext): Promise<Recommender> {
  const build = KINDS.get(name)?.build;
  if (!build) throw new ConfigError(`unknown model kind "${name}"; valid kinds are ${namesOf('build')}`);
  return build(context);
}

/** Validates the manifest envelope and hands it to the loader of its kind. */
export async function loadModel(context: Omit<ModelContext, 'manifest'> & { manifest: unknown }): Promise<Recommender> {
  const m = context.manifest as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null || m.format !== 'hafrec-model') {
    throw new ModelFormatError(context.url, 'not a hafrec model manifest (expected {"format": "hafrec-model", ...})');
  }
  if (m.version !== 1) throw new ModelFormatError(context.url, `version ${String(m.version)} is not supported (valid: 1)`);
  if (!Array.isArray(m.ids) || !m.ids.every((id) => typeof id === 'string')) {
    throw new ModelFormatError(context.url, '"ids" must be an array of item id strings');
  }
  const load = typeof m.kind === 'string' ? KINDS.get(m.kind)?.load : undefined;
  if (!load) {
    throw new ModelFormatError(context.url, `unknown kind ${JSON.stringify(m.kind)}; valid kinds are ${namesOf('load')}`);
  }
  return load({ ...context, manifest: m });
}

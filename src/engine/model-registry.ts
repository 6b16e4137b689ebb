import type { Catalog } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import { createCooccurrence } from '../eval/baselines/cooccurrence.ts';
import { createPopularity } from '../eval/baselines/popularity.ts';
import { ModelFormatError } from './errors.ts';
import { loadHafKind } from './haf-kind.ts';
import { readCooccurrenceFile, readPopularityFile, type CooccurrenceFile, type PopularityFile } from './model-file.ts';

/** A CLIP checkpoint as the page names it, plus what the worker knows of the page. */
export interface ClipContext {
  /** Hub id or folder URL (absolute), with the loader's revision and mirror host. */
  readonly model: string;
  readonly revision?: string;
  readonly remoteHost?: string;
  /** What relative catalog image URLs resolve against (the catalog's URL). */
  readonly imageBase: string;
  /** Keep vectors in the embedding cache (false until the shopper consents). */
  readonly cache: boolean;
}

/** What a model loader gets: the parsed manifest, the loaded catalog and where things live. */
export interface ModelContext {
  readonly manifest: Record<string, unknown>;
  readonly catalog: Catalog;
  /** Absolute URL of the manifest; relative weight paths resolve against it. */
  readonly url: string;
  /** Absolute URL of the feature file (data-features), when the page gave one. */
  readonly featuresUrl?: string;
  readonly fetch: typeof fetch;
  /** The CLIP checkpoint the page names (data-clip), for catalog items a CLIP bundle lacks. */
  readonly clip?: ClipContext;
  /**
   * Starts tfjs for kinds that need it (`haf`). Default in the worker: selectBackend('auto')
   * with the wasm binaries from the shop's own origin; Node passes its wasm backend.
   */
  readonly backend?: () => Promise<unknown>;
}

export type ModelLoader = (context: ModelContext) => Promise<Recommender>;

/**
 * Model kinds by manifest `kind`. Loaders import their code lazily, so a kind costs
 * nothing until a store's manifest names it (the HAF model registers here with tfjs).
 */
const LOADERS = new Map<string, ModelLoader>([
  ['cooccurrence', async ({ manifest, catalog, url }) => {
    const { table, popularity } = readCooccurrenceFile(manifest as unknown as CooccurrenceFile, catalog, url);
    return createCooccurrence(catalog, table, popularity, (manifest as unknown as CooccurrenceFile).params);
  }],
  ['popularity', async ({ manifest, catalog, url }) =>
    createPopularity(catalog, readPopularityFile(manifest as unknown as PopularityFile, catalog, url))],
  // HAF + the co-occurrence prior; tfjs and the HAF code load lazily, only for this kind.
  ['haf', loadHafKind],
]);

export function registerModelKind(kind: string, loader: ModelLoader): void {
  LOADERS.set(kind, loader);
}

export function modelKinds(): string[] {
  return [...LOADERS.keys()];
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
  const loader = typeof m.kind === 'string' ? LOADERS.get(m.kind) : undefined;
  if (!loader) {
    throw new ModelFormatError(context.url, `unknown kind ${JSON.stringify(m.kind)}; valid kinds are ${modelKinds().join(', ')}`);
  }
  return loader({ ...context, manifest: m });
}

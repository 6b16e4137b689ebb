/**
 * What the model registry's loaders and builders are given, and what a kind is: the contract
 * between the registry (model-registry.ts) and the kinds' code (haf-kind.ts, the CLIs' kinds),
 * in a file of its own so that the kinds need not import the registry that imports them.
 */
import type { Catalog, TrainingData } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import type { WholeDomainRequest } from './whole-domain-info.ts';

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
  /** Which pass scores a HAF bundle's whole domains (data-whole-domain; default 'auto'). */
  readonly wholeDomain?: WholeDomainRequest;
}

export type ModelLoader = (context: ModelContext) => Promise<Recommender>;

/** What a kind built from training data gets: the dataset (never its test split) and what the caller's environment provides. */
export interface DatasetContext {
  readonly dataset: TrainingData;
  /** This environment's HAF model: the CLIs read weights from disk, the demo has its own. */
  readonly haf?: () => Promise<Recommender>;
  /** The prior's weight in `haf+cooccurrence`; DEFAULT_BLEND_WEIGHT (chosen on valid) when absent. */
  readonly blendWeight?: number;
  /** The caller's own settings, read by kinds it registered (the CLIs pass their flags). */
  readonly options?: Readonly<Record<string, string | true>>;
}

export type DatasetBuilder = (context: DatasetContext) => Promise<Recommender>;

/** A model kind: its name, its label, and the ways it can be built. */
export interface ModelKind {
  /** A manifest's `kind`, the CLIs' `--model`, the demo's choice. */
  readonly name: string;
  readonly label: string;
  /** For serving: from a saved manifest and the shop's catalog (loadModel). */
  readonly load?: ModelLoader;
  /** From a training dataset (the CLIs; buildModel). */
  readonly build?: DatasetBuilder;
}

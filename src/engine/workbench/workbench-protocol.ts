import type { EvalReport } from '../../eval/evaluate.ts';
import { isBaselineKind, isHafKind, MODEL_KIND_NAMES, MODEL_KINDS, type ModelKindName } from '../model-kinds.ts';

/**
 * The engine's workbench requests: what the demo asks the one engine worker about a bundled
 * dataset (shoppers, ranks, evaluation, training), beside the storefront requests in
 * ../protocol.ts (the demo's store sends the tag's own `recommend`).
 * The worker loads their code lazily, so the storefront's worker never downloads it. Model
 * choices are the model registry's kinds (../model-kinds.ts), HAF's first (offered when the
 * HAF weights load), then the baselines, plus "auto".
 */
export const WORKBENCH_KINDS: readonly ModelKindName[] = [...MODEL_KIND_NAMES.filter(isHafKind), ...MODEL_KIND_NAMES.filter(isBaselineKind)];
export const WORKBENCH_MODELS: readonly WorkbenchModelChoice[] = ['auto', ...WORKBENCH_KINDS];
export type WorkbenchModelChoice = 'auto' | ModelKindName;

/** How the settings list each model (the blend is labelled for what it is). */
export const MODEL_LABELS: Readonly<Record<WorkbenchModelChoice, string>> = {
  auto: 'auto (HAF + co-occurrence prior when the HAF weights load, else co-occurrence)',
  ...(Object.fromEntries(WORKBENCH_KINDS.map((k) => [k, MODEL_KINDS[k].label])) as Record<ModelKindName, string>),
};

/** The demo's own IndexedDB database: the shopper's history and the cached item features. */
export const DEMO_DB_NAME = 'hafrec-demo';

export const WORKBENCH_BACKENDS = ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type WorkbenchBackend = (typeof WORKBENCH_BACKENDS)[number];

/** What the page needs to show the catalog: parallel arrays by internal index - 1. */
export interface CatalogSnapshot {
  readonly name: string;
  readonly domains: readonly string[];
  readonly ids: readonly string[];
  readonly titles: readonly string[];
  /** Sparse: only items that have an image. */
  readonly images: Readonly<Record<number, string>>;
  /** [size] domain number per item (position = internal index - 1). */
  readonly domainOf: Int8Array;
  /** [size] training occurrences per item, for browse order and search ranking. */
  readonly popularity: Float32Array;
  /** Users of the test split, for "replay a real shopper". */
  readonly testUsers: readonly string[];
}

export interface ShopperCase {
  readonly split: 'valid' | 'test';
  readonly user: string;
  /** External item ids, oldest first (the held-out target is not included). */
  readonly history: readonly string[];
  readonly target: string;
  readonly targetDomain: string;
}

export interface ModelInfo {
  readonly active: string;
  readonly available: readonly string[];
  readonly backend: string;
  readonly note: string;
  /** Where the HAF weights came from, when HAF is loaded. */
  readonly weights?: 'browser' | 'shipped' | 'scratch';
  /** A training run exists that can be resumed. */
  readonly canResume: boolean;
  /** Why HAF is not available, when it is not. */
  readonly hafProblem?: string;
  /** How HAF's item text features were obtained on this visit. */
  readonly features?: FeatureOrigin;
}

export interface FeatureOrigin {
  readonly encoder: string;
  /** 'cache': read from IndexedDB; 'computed': encoded now (and cached for the next visit). */
  readonly source: 'cache' | 'computed';
  readonly ms: number;
}

export const TRAIN_MODES = ['scratch', 'finetune', 'resume'] as const;
export type TrainMode = (typeof TRAIN_MODES)[number];

/** How one training call runs; the trainer itself sees these without mode and backend. */
export interface TrainOptions {
  /** Optimizer steps to run in this call (a later call resumes where it stopped). */
  readonly steps: number;
  readonly batchPositions: number;
  readonly negatives: number;
  readonly learningRate: number;
  /** Validate every this many steps (and at the end) on the first `validUsers` valid shoppers (0: never). */
  readonly validEvery: number;
  readonly validUsers: number;
}

export interface TrainRequest extends TrainOptions {
  readonly mode: TrainMode;
  readonly backend: WorkbenchBackend;
}

export interface TrainSummary {
  readonly step: number;
  readonly loss: number;
  readonly valid?: number;
  readonly stopped: boolean;
  readonly seconds: number;
  readonly backend: string;
}

export interface SpeedReadout {
  readonly backend: string;
  /** Median ms of one recommendation of every domain (the recommend path the store uses, with insight) for a 20-item history. */
  readonly recommendMs: number;
  /** Median ms of a 256x256x256 matMul on the backend, when tensors are in play. */
  readonly matMulMs?: number;
}

export interface InitOptions {
  readonly dataUrl: string;
  readonly modelUrl: string;
  readonly model: WorkbenchModelChoice;
  readonly backend: WorkbenchBackend;
}

export type WorkbenchRequest =
  | { readonly kind: 'openDataset'; readonly options: InitOptions }
  | { readonly kind: 'shopper'; readonly split: 'valid' | 'test'; readonly user: string }
  | { readonly kind: 'rank'; readonly split: 'valid' | 'test'; readonly user: string }
  | { readonly kind: 'evaluate'; readonly split: 'valid' | 'test'; readonly full: boolean; readonly limit?: number }
  | { readonly kind: 'useModel'; readonly model: WorkbenchModelChoice; readonly backend: WorkbenchBackend }
  | { readonly kind: 'measure' }
  | { readonly kind: 'train'; readonly train: TrainRequest }
  | { readonly kind: 'saveTrained' };

export interface WorkbenchResults {
  openDataset: { readonly catalog: CatalogSnapshot; readonly model: ModelInfo };
  shopper: ShopperCase;
  /** The held-out item's ranks given the history stored in the demo's database (by the one history rule), and that history's length. */
  rank: { readonly sampled: number; readonly full: number; readonly domainSize: number; readonly target: string; readonly historyLength: number };
  evaluate: { readonly report: EvalReport; readonly table: string; readonly ms: number };
  useModel: ModelInfo;
  measure: SpeedReadout;
  train: TrainSummary;
  saveTrained: ModelInfo;
}

export interface JobProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  /** Extra numbers a job streams (e.g. training loss). */
  readonly values?: Readonly<Record<string, number>>;
}

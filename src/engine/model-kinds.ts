/**
 * The model kinds every part of hafrec knows by one name: a shop manifest's `kind`, the CLIs'
 * `--model`, the demo's model choice. Code-free, so that a page can list kinds without loading
 * any model; each kind's loaders and builders are keyed by these names in model-registry.ts.
 * Order matters: callers list kinds in this order (a manifest error, the CLIs' usage).
 */
export interface ModelKindInfo {
  /** How people see it (the demo's settings). */
  readonly label: string;
  /** Building it from a dataset needs the environment's HAF weights (and so tfjs). */
  readonly needsHaf: boolean;
}

export const MODEL_KINDS = {
  cooccurrence: { label: 'co-occurrence baseline', needsHaf: false },
  popularity: { label: 'popularity baseline', needsHaf: false },
  // From a dataset: HAF plus the co-occurrence prior. A saved `haf` bundle serves this blend.
  'haf+cooccurrence': { label: 'HAF + co-occurrence prior', needsHaf: true },
  haf: { label: 'HAF alone', needsHaf: true },
} as const satisfies Record<string, ModelKindInfo>;

export type ModelKindName = keyof typeof MODEL_KINDS;
/** The kinds built on HAF, and the ones built from training counts alone. */
export type HafKindName = { [K in ModelKindName]: (typeof MODEL_KINDS)[K]['needsHaf'] extends true ? K : never }[ModelKindName];
export type BaselineKindName = Exclude<ModelKindName, HafKindName>;

export const MODEL_KIND_NAMES = Object.keys(MODEL_KINDS) as ModelKindName[];

export function isHafKind(name: string): name is HafKindName {
  return Object.hasOwn(MODEL_KINDS, name) && MODEL_KINDS[name as ModelKindName].needsHaf;
}

export function isBaselineKind(name: string): name is BaselineKindName {
  return Object.hasOwn(MODEL_KINDS, name) && !MODEL_KINDS[name as ModelKindName].needsHaf;
}

import type { Dataset } from '../src/catalog/types.ts';
import type { Recommender } from '../src/eval/recommender.ts';
import type { Args } from './args.ts';
import { loadHafRecommender, readEnsembleMembers, SHIPPED_ENSEMBLE } from './haf-setup.ts';
import { createBlend, DEFAULT_BLEND_WEIGHT, type BlendPart } from '../src/eval/blend.ts';
import { numberArg, stringArg, UsageError } from './args.ts';
import { checkSameItems, loadBundle } from '../src/bundle/bundle-load.ts';
import { selectNodeBackend } from '../src/model/node.ts';
import { modelKinds, registerModelKind } from '../src/engine/model-registry.ts';
import type { DatasetContext } from '../src/engine/model-context.ts';

/** Builds a ready Recommender for a dataset from CLI arguments. */
export type ModelFactory = (dataset: Dataset, args: Args) => Promise<Recommender>;

// The CLIs' own kinds, beside the registry's built-ins (src/engine/model-kinds.ts): they read
// files from disk. Several HAF weight folders, standardized scores added with weights chosen on
// valid (npm run ensemble): --weights a,b [--ensemble-weights 1,1]; default: the shipped ensemble.
registerModelKind({ name: 'haf-ensemble', label: 'HAF ensemble of several weight folders', build: loadHafEnsemble });
// What a shop serves: a folder written by npm run bundle (--bundle SITE), loaded through the
// storefront worker's own loaders (catalog.json, loadModel, the 'haf' kind).
registerModelKind({ name: 'bundle', label: "a shop's bundle, loaded as the storefront worker loads it", build: loadBundleModel });

/**
 * What the flags give every kind: HAF from --weights dir (default: the shipped weights) on
 * --backend wasm|cpu, and the blend's --blend-weight w (chosen on valid).
 */
function cliContext(dataset: Dataset, args: Args): DatasetContext {
  return {
    dataset,
    haf: () => loadHafRecommender(dataset, args),
    // A getter: the flag is checked only by the kind that reads it, as before.
    get blendWeight() {
      return numberArg(args, 'blend-weight', DEFAULT_BLEND_WEIGHT);
    },
    options: args,
  };
}

/** Every model the CLIs can evaluate, by the name given to `--model`: the registry's kinds that build from a dataset. */
export const MODELS: Record<string, ModelFactory> = Object.fromEntries(
  modelKinds().flatMap(({ name, build }) => (build ? [[name, (d: Dataset, args: Args) => build(cliContext(d, args))]] : [])),
);

async function loadBundleModel({ dataset: d, options: args = {} }: DatasetContext): Promise<Recommender> {
  if (typeof args.bundle !== 'string') throw new UsageError('--model bundle needs --bundle SITE (a folder written by npm run bundle)');
  const backend = args.backend === 'cpu' || args.backend === 'webgpu' ? args.backend : 'wasm';
  const { catalog, recommender } = await loadBundle(args.bundle, () => selectNodeBackend(backend));
  try {
    checkSameItems(catalog, d.catalog, args.bundle);
  } catch (error) {
    recommender.dispose();
    throw error;
  }
  return recommender;
}

async function loadHafEnsemble({ dataset: d, options: args = {} }: DatasetContext): Promise<Recommender> {
  const shipped = args.weights === undefined ? await readEnsembleMembers(SHIPPED_ENSEMBLE) : undefined;
  const dirs = shipped?.dirs ?? stringArg(args, 'weights', '').split(',');
  const raw = args['ensemble-weights'];
  const weights = raw === undefined ? (shipped?.weights ?? dirs.map(() => 1)) : stringArg(args, 'ensemble-weights', '').split(',').map(Number);
  if (weights.length !== dirs.length || weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new UsageError(`--ensemble-weights needs ${dirs.length} non-negative numbers, one per weight folder; got "${String(raw)}"`);
  }
  const parts: BlendPart[] = [];
  for (const [k, dir] of dirs.entries()) parts.push({ recommender: await loadHafRecommender(d, { ...args, weights: dir }), weight: weights[k]!, transform: 'z' });
  return createBlend(`haf-ensemble (${dirs.map((dir, k) => `${weights[k]} x ${dir}`).join(' + ')})`, d.catalog, parts);
}

import type { Dataset } from '../src/catalog/types.ts';
import type { Recommender } from '../src/eval/recommender.ts';
import { countOccurrences, createPopularity } from '../src/eval/baselines/popularity.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../src/eval/baselines/cooccurrence.ts';
import type { Args } from './args.ts';
import { loadHafRecommender, readEnsembleMembers, SHIPPED_ENSEMBLE } from './haf-setup.ts';
import { createBlend, createPriorBlend, DEFAULT_BLEND_WEIGHT, type BlendPart } from '../src/eval/blend.ts';
import { numberArg, stringArg, UsageError } from './args.ts';
import { checkSameItems, loadBundle } from '../src/bundle/bundle-load.ts';
import { selectNodeBackend } from '../src/model/node.ts';

/** Builds a ready Recommender for a dataset from CLI arguments. */
export type ModelFactory = (dataset: Dataset, args: Args) => Promise<Recommender>;

/** Every model the CLIs can evaluate, by the name given to `--model`. */
export const MODELS: Record<string, ModelFactory> = {
  popularity: async (d) => createPopularity(d.catalog, countOccurrences(d.catalog, d.train)),
  cooccurrence: async (d) =>
    createCooccurrence(
      d.catalog,
      countTransitions(d.catalog.size, d.train, DEFAULT_COOCCURRENCE),
      countOccurrences(d.catalog, d.train),
    ),
  // Hierarchical attention fusion; --weights dir (default: the shipped weights), --backend wasm|cpu.
  haf: async (d, args) => loadHafRecommender(d, args),
  // HAF plus the co-occurrence prior, standardized and added; --blend-weight w (chosen on valid).
  'haf+cooccurrence': async (d, args) =>
    createPriorBlend(await loadHafRecommender(d, args), await MODELS.cooccurrence!(d, args), d.catalog, numberArg(args, 'blend-weight', DEFAULT_BLEND_WEIGHT)),
  // Several HAF weight folders, standardized scores added with weights chosen on valid
  // (npm run ensemble): --weights a,b [--ensemble-weights 1,1]; default: the shipped ensemble.
  'haf-ensemble': async (d, args) => loadHafEnsemble(d, args),
  // What a shop serves: a folder written by npm run bundle (--bundle SITE), loaded through the
  // storefront worker's own loaders (catalog.json, loadModel, the 'haf' kind).
  bundle: async (d, args) => loadBundleModel(d, args),
};

async function loadBundleModel(d: Dataset, args: Args): Promise<Recommender> {
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

async function loadHafEnsemble(d: Dataset, args: Args): Promise<Recommender> {
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

import type { Dataset } from '../src/catalog/types.ts';
import type { Recommender } from '../src/eval/recommender.ts';
import { countOccurrences, createPopularity } from '../src/eval/baselines/popularity.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../src/eval/baselines/cooccurrence.ts';
import type { Args } from './args.ts';
import { loadHafRecommender } from './haf-setup.ts';
import { createBlend, DEFAULT_BLEND_WEIGHT } from '../src/eval/blend.ts';
import { numberArg } from './args.ts';

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
    createBlend('haf+cooccurrence', d.catalog, [
      { recommender: await loadHafRecommender(d, args), weight: 1, transform: 'z' },
      { recommender: await MODELS.cooccurrence!(d, args), weight: numberArg(args, 'blend-weight', DEFAULT_BLEND_WEIGHT), transform: 'log-z' },
    ]),
};

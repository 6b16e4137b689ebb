import type { Benchmark } from './types.ts';
import { baselinesBench } from './baselines.ts';
import { modelHafBench } from './model-haf.ts';
import { embedSizeBench } from './embed-size.ts';
import { EMBEDDING_BENCHMARKS } from './embedding.ts';

/** Every benchmark `npm run bench` knows, by name. */
export const BENCHMARKS: readonly Benchmark[] = [baselinesBench, modelHafBench, embedSizeBench, ...EMBEDDING_BENCHMARKS];

import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { countOccurrences, createPopularity } from '../../src/eval/baselines/popularity.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../../src/eval/baselines/cooccurrence.ts';
import type { Recommender } from '../../src/eval/recommender.ts';
import { timeIt, type Benchmark, type Measurement } from './types.ts';

async function measure(rec: Recommender, history: Int32Array, runs: number): Promise<Measurement[]> {
  const kitchen = 1;
  const candidates = Int32Array.from({ length: 1000 }, (_, i) => 8662 + i * 27);
  return [
    {
      name: `${rec.name}: one shopper, 1,000 candidates`,
      backend: 'node (plain TS)',
      unit: 'ms',
      samples: await timeIt(() => rec.score([{ history, domain: kitchen, candidates }]), runs, 5),
    },
    {
      name: `${rec.name}: one shopper, whole kitchen domain (27,637 items) + top-10`,
      backend: 'node (plain TS)',
      unit: 'ms',
      samples: await timeIt(() => rec.recommend(history, kitchen, 10), runs, 5),
    },
  ];
}

export const baselinesBench: Benchmark = {
  name: 'baselines',
  description: 'Scoring latency of the popularity and co-occurrence baselines (history 50)',
  async run(ctx) {
    const d = await loadDataset();
    const pop = countOccurrences(d.catalog, d.train);
    const started = performance.now();
    const transitions = countTransitions(d.catalog.size, d.train, DEFAULT_COOCCURRENCE);
    const fitMs = performance.now() - started;
    const history = d.train.find((s) => s.items.length >= 50)!.items.subarray(0, 50);
    const runs = ctx.quick ? 10 : 50;
    return [
      { name: 'cooccurrence: count transitions over train.tsv', backend: 'node (plain TS)', unit: 'ms', samples: [fitMs] },
      ...(await measure(createPopularity(d.catalog, pop), history, runs)),
      ...(await measure(createCooccurrence(d.catalog, transitions, pop), history, runs)),
    ];
  },
};

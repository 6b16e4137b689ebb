import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../catalog/dataset-load.ts';
import type { Dataset } from '../catalog/types.ts';
import { evaluate } from './evaluate.ts';
import { countOccurrences, createPopularity } from './baselines/popularity.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from './baselines/cooccurrence.ts';

// Guards the published baseline numbers (README, the peers table in BENCHMARKS.md) against silent protocol drift.
let d: Dataset;
beforeAll(async () => {
  d = await loadDataset();
});

describe('baselines on the Food-Kitchen test split', () => {
  it('popularity reproduces NDCG@10 0.0201 sampled and 0.0018 full', async () => {
    const report = await evaluate(createPopularity(d.catalog, countOccurrences(d.catalog, d.train)), d.catalog, d.test);
    expect(report.sampled.overall!['NDCG@10']).toBeCloseTo(0.0201, 4);
    expect(report.sampled.food!['NDCG@10']).toBeCloseTo(0.0216, 4);
    expect(report.full!.overall!['NDCG@10']).toBeCloseTo(0.0018, 4);
  });

  it('co-occurrence reproduces NDCG@10 0.1948 sampled', async () => {
    const pop = countOccurrences(d.catalog, d.train);
    const rec = createCooccurrence(d.catalog, countTransitions(d.catalog.size, d.train, DEFAULT_COOCCURRENCE), pop);
    const report = await evaluate(rec, d.catalog, d.test, { full: false });
    expect(report.sampled.overall!['NDCG@10']).toBeCloseTo(0.1948, 4);
    expect(report.sampled.kitchen!['NDCG@10']).toBeCloseTo(0.16, 4);
  });
});

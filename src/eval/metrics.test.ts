import { describe, expect, it } from 'vitest';
import { metricsByDomain, metricsFromRanks, ndcg, rankAgainst, rankInList } from './metrics.ts';

describe('rankAgainst', () => {
  it('counts negatives scoring strictly higher', () => {
    expect(rankAgainst(0.5, [0.1, 0.9, 0.2, 0.7])).toBe(3);
  });
  it('counts ties against the model', () => {
    expect(rankAgainst(0.5, [0.5, 0.5, 0.1])).toBe(3);
  });
  it('gives a constant scorer rank 1000 against 999 negatives', () => {
    expect(rankAgainst(0, new Float32Array(999))).toBe(1000);
  });
  it('ranks a NaN target last and NaN negatives against the model', () => {
    expect(rankAgainst(NaN, [0, 1, 2])).toBe(4);
    expect(rankAgainst(1, [NaN, 0])).toBe(2);
  });
});

describe('rankInList', () => {
  it('ranks within a full list, excluding the target itself', () => {
    expect(rankInList([0.3, 0.9, 0.3, 0.1], 0)).toBe(3);
    expect(rankInList([0.3, 0.9, 0.3, 0.1], 1)).toBe(1);
  });
});

describe('metricsFromRanks', () => {
  it('matches hand-computed values', () => {
    // ranks 1, 3, 7, 20: HR@1 = 1/4, HR@5 = 2/4, HR@10 = 3/4
    // NDCG@5 = (1 + 1/log2 4) / 4 = (1 + 0.5) / 4 = 0.375
    // NDCG@10 = (1 + 0.5 + 1/log2 8) / 4 = (1.5 + 1/3) / 4 = 0.458333...
    // MRR = (1 + 1/3 + 1/7 + 1/20) / 4
    const m = metricsFromRanks([1, 3, 7, 20]);
    expect(m['HR@1']).toBe(0.25);
    expect(m['HR@5']).toBe(0.5);
    expect(m['HR@10']).toBe(0.75);
    expect(m['NDCG@5']).toBeCloseTo(0.375, 12);
    expect(m['NDCG@10']).toBeCloseTo(0.4583333333333333, 12);
    expect(m.MRR).toBeCloseTo((1 + 1 / 3 + 1 / 7 + 1 / 20) / 4, 12);
    expect(m.n).toBe(4);
  });
  it('gives a constant scorer the metrics of rank 1000 (MRR 0.001, no hits)', () => {
    const m = metricsFromRanks([1000, 1000]);
    expect(m['HR@10']).toBe(0);
    expect(m['NDCG@10']).toBe(0);
    expect(m.MRR).toBeCloseTo(0.001, 12);
  });
  it('is all zeros for no ranks', () => {
    expect(metricsFromRanks([]).MRR).toBe(0);
  });
  it('uses 1/log2(rank + 1) for NDCG', () => {
    expect(ndcg(2, 10)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcg(11, 10)).toBe(0);
  });
});

describe('metricsByDomain', () => {
  it('splits by target domain and adds overall', () => {
    const m = metricsByDomain([1, 2, 1000], [0, 1, 1], ['food', 'kitchen']);
    expect(m.food!['HR@1']).toBe(1);
    expect(m.kitchen!.n).toBe(2);
    expect(m.kitchen!.MRR).toBeCloseTo((0.5 + 0.001) / 2, 12);
    expect(m.overall!.n).toBe(3);
  });
});

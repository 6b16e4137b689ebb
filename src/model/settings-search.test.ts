import { describe, expect, it } from 'vitest';
import {
  ANCHOR_SETTINGS, SEARCH_SPACE, SPARSE_ANCHOR_SETTINGS, candidateSettings, defaultBudgetMinutes, fitSettings, planSearch, rungCaseIndices, rungCount,
  sliceEpochs, sliceSeconds, survivors, trainingPositions,
} from './settings-search.ts';

const FOOD_KITCHEN = { positions: 349_765, largestDomain: 27_637 };

describe('survivors (successive halving)', () => {
  it('keeps the better half by valid score, ties to the earlier candidate', () => {
    expect(survivors([0.1, 0.3, 0.2, 0.25])).toEqual([1, 3]);
    expect(survivors([0.2, 0.2, 0.1])).toEqual([0, 1]);
    expect(survivors([0.5])).toEqual([0]);
  });

  it('ranks a failed candidate (no or non-finite score) last', () => {
    expect(survivors([undefined, Number.NaN, 0.01, 0.02])).toEqual([3, 2]);
    expect(survivors([0.3, 0.1, 0.2], 3)).toEqual([0]);
  });

  it('needs ceil(log_eta n) rungs to get from n candidates to one', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16].map((n) => rungCount(n))).toEqual([0, 1, 2, 2, 3, 3, 4, 4]);
    expect(rungCount(9, 3)).toBe(2);
  });
});

describe('planSearch (budget accounting)', () => {
  it('spends half the budget after the reserve on the rungs, each first slice at least an epoch', () => {
    const plan = planSearch({ budgetSeconds: 900, epochSeconds: 140, evalSeconds: 2 });
    expect(plan.reserveSeconds).toBe(45);
    expect(plan.searchSeconds).toBeCloseTo(427.5);
    expect(plan.firstSliceSeconds).toBeGreaterThanOrEqual(140);
    // Every rung's slices plus their evaluations fit the search time.
    expect(plan.rungs * plan.candidates * (plan.firstSliceSeconds + 2)).toBeLessThanOrEqual(plan.searchSeconds + 1e-9);
    // One more candidate would make the first slices too short.
    const n = plan.candidates + 1;
    expect(plan.searchSeconds / rungCount(n) / n - 2).toBeLessThan(140);
  });

  it('tries more candidates with more budget, and more on a smaller dataset for the same budget', () => {
    const small = planSearch({ budgetSeconds: 900, epochSeconds: 14, evalSeconds: 2 });
    const big = planSearch({ budgetSeconds: 900, epochSeconds: 140, evalSeconds: 2 });
    const bigLonger = planSearch({ budgetSeconds: 3600, epochSeconds: 140, evalSeconds: 2 });
    expect(small.candidates).toBeGreaterThan(big.candidates);
    expect(bigLonger.candidates).toBeGreaterThan(big.candidates);
    expect(planSearch({ budgetSeconds: 36_000, epochSeconds: 1, evalSeconds: 0.1 }).candidates).toBe(16);
  });

  it('falls back to one candidate and no rung when the budget cannot rank two', () => {
    const plan = planSearch({ budgetSeconds: 60, epochSeconds: 600, evalSeconds: 5 });
    expect(plan).toMatchObject({ candidates: 1, rungs: 0, searchSeconds: 0, firstSliceSeconds: 0 });
    // Slow evaluation counts too: it is paid after every slice.
    expect(planSearch({ budgetSeconds: 120, epochSeconds: 1, evalSeconds: 20 }).candidates).toBe(1);
  });

  it('gives each later rung what is left, shared among fewer survivors', () => {
    expect(sliceSeconds(400, 4, 2, 2)).toBe(48);
    expect(sliceSeconds(200, 2, 1, 2)).toBe(98);
    // A rung that overran leaves less to the next, never a negative slice.
    expect(sliceSeconds(3, 2, 1, 2)).toBe(0);
    expect(sliceSeconds(100, 2, 0, 2)).toBe(0);
    expect([0, 1, 2].map(sliceEpochs)).toEqual([1, 2, 4]);
  });
});

describe('candidates (scaling with the dataset)', () => {
  it('starts from the shipped recipe and the sparse-store recipe, then draws distinct settings from the space', () => {
    const c = candidateSettings(8, FOOD_KITCHEN, 42);
    expect(c[0]).toEqual(ANCHOR_SETTINGS);
    expect(c[1]).toEqual(SPARSE_ANCHOR_SETTINGS);
    expect(candidateSettings(1, FOOD_KITCHEN, 42)).toEqual([ANCHOR_SETTINGS]);
    expect(new Set(c.map((s) => JSON.stringify(s))).size).toBe(8);
    for (const s of c) {
      expect(SEARCH_SPACE.learningRate).toContain(s.learningRate);
      expect(SEARCH_SPACE.dim).toContain(s.dim);
    }
    expect(candidateSettings(8, FOOD_KITCHEN, 42)).toEqual(c);
    // Space-filling: the first four drawn learning rates are four different values.
    expect(new Set(c.slice(2, 6).map((s) => s.learningRate)).size).toBe(4);
    expect(new Set(c.slice(2, 5).map((s) => s.distill))).toEqual(new Set(SEARCH_SPACE.distill));
  });

  it('shrinks batches on a small dataset and turns negatives beyond a domain into the full softmax', () => {
    expect(fitSettings(ANCHOR_SETTINGS, { positions: 8_000, largestDomain: 1_000 })).toEqual({ ...ANCHOR_SETTINGS, batchPositions: 256, negatives: 'full' });
    expect(fitSettings(ANCHOR_SETTINGS, { positions: 100, largestDomain: 30 }).batchPositions).toBe(16);
    for (const s of candidateSettings(16, { positions: 35_000, largestDomain: 3_000 }, 1)) {
      expect(s.batchPositions * 16).toBeLessThanOrEqual(35_000);
      if (s.negatives !== 'full') expect(s.negatives).toBeLessThan(3_000);
    }
  });

  it('keeps what the user pinned in every candidate, and stops when the space has no more distinct ones', () => {
    const pinned = candidateSettings(6, FOOD_KITCHEN, 3, { dim: 32, negatives: 'full' });
    expect(pinned.every((s) => s.dim === 32 && s.negatives === 'full')).toBe(true);
    const few = candidateSettings(32, FOOD_KITCHEN, 3, { dim: 64, negatives: 2048, dropout: 0.2, learningRate: 0.004, distill: 0.5, idDropout: 0.3 });
    expect(few.length).toBe(8); // only the batch (4 values) and the item init (2) vary
    expect(new Set(few.map((s) => s.itemInit))).toEqual(new Set(['random', 'cooccurrence']));
  });
});

describe('budget defaults and positions', () => {
  it('scores rungs on all valid cases of a small valid split, on a seeded fixed subset of a large one', () => {
    expect(rungCaseIndices(960, 42)).toEqual(Array.from({ length: 960 }, (_, i) => i));
    const subset = rungCaseIndices(5117, 42);
    expect(subset.length).toBe(2000);
    expect(new Set(subset).size).toBe(2000);
    expect(subset).toEqual([...subset].sort((a, b) => a - b));
    expect(subset.at(-1)!).toBeLessThan(5117);
    expect(rungCaseIndices(5117, 42)).toEqual(subset);
  });

  it('counts next-item targets per sequence, capped at the history length', () => {
    expect(trainingPositions([1, 2, 10, 80], 50)).toBe(0 + 1 + 9 + 50);
  });

  it('defaults to ~20 estimated epochs, between 5 and 60 minutes', () => {
    expect(defaultBudgetMinutes(500)).toBe(5);
    expect(defaultBudgetMinutes(FOOD_KITCHEN.positions)).toBe(47);
    expect(defaultBudgetMinutes(10_000_000)).toBe(60);
  });
});

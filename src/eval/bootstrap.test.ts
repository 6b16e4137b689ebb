import { describe, expect, it } from 'vitest';
import { bootstrapMean, pairedDifference, quantile } from './bootstrap.ts';

/** Returns the given numbers in turn: resampling by hand-picked indices. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

/** A seeded generator for the statistical checks (mulberry32, as the model's rng). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('bootstrap over shoppers', () => {
  it('quantiles interpolate between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([0, 0.5], 0.25)).toBe(0.125);
  });

  it('resamples shoppers with replacement: a hand-computed two-resample interval', () => {
    // Resample 1 draws shoppers 0, 0 (mean 0); resample 2 draws 1, 0 (mean 0.5).
    const interval = bootstrapMean([0, 1], { random: sequence(0.1, 0.1, 0.9, 0.1), resamples: 2, level: 0.5 });
    expect(interval).toEqual({ estimate: 0.5, low: 0.125, high: 0.375 });
  });

  it('a constant has no spread, and no shoppers give a degenerate interval', () => {
    expect(bootstrapMean([0.3, 0.3, 0.3], { random: seeded(1) })).toEqual({ estimate: 0.3, low: 0.3, high: 0.3 });
    expect(bootstrapMean([], { random: seeded(1) })).toEqual({ estimate: 0, low: 0, high: 0 });
  });

  it('covers the true mean with about the normal-theory width', () => {
    const rng = seeded(7);
    const values = Array.from({ length: 2000 }, () => (rng() < 0.3 ? 1 : 0));
    const { estimate, low, high } = bootstrapMean(values, { random: seeded(8) });
    expect(low).toBeLessThan(0.3);
    expect(high).toBeGreaterThan(0.3);
    const normalWidth = 2 * 1.96 * Math.sqrt((estimate * (1 - estimate)) / values.length);
    expect(high - low).toBeGreaterThan(0.85 * normalWidth);
    expect(high - low).toBeLessThan(1.15 * normalWidth);
  });

  it('a paired difference sees a small constant lead that unpaired intervals would bury', () => {
    const rng = seeded(3);
    const b = Array.from({ length: 500 }, () => rng());
    const a = b.map((v) => v + 0.01);
    const paired = pairedDifference(a, b, { random: seeded(4) });
    expect(paired.estimate).toBeCloseTo(0.01, 12);
    expect(paired.high - paired.low).toBeLessThan(1e-12);
    expect(paired.above).toBe(1);
    const alone = bootstrapMean(b, { random: seeded(4) });
    expect(alone.high - alone.low).toBeGreaterThan(0.04);
  });

  it('rejects unpaired inputs and invalid levels', () => {
    expect(() => pairedDifference([1], [1, 2], { random: seeded(1) })).toThrow(/differ in length/);
    expect(() => bootstrapMean([1], { random: seeded(1), level: 1 })).toThrow(/level 1 is invalid/);
  });
});

/**
 * Percentile bootstrap over shoppers: how much a protocol number would move with another
 * sample of shoppers, and whether one model's lead over another is more than that noise.
 * Pure functions; the caller passes a seeded `random` so intervals are reproducible.
 */
export interface Interval {
  /** The mean over the shoppers actually evaluated. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface PairedInterval extends Interval {
  /** Share of resamples in which the difference is above 0. */
  readonly above: number;
}

export interface BootstrapOptions {
  /** Uniform [0, 1) numbers; seeded by the caller. */
  readonly random: () => number;
  readonly resamples?: number;
  /** Coverage of the interval (default 0.95). */
  readonly level?: number;
}

export const DEFAULT_RESAMPLES = 1000;

/** The mean of `values` with its percentile bootstrap interval. */
export function bootstrapMean(values: ArrayLike<number>, options: BootstrapOptions): Interval {
  return summarize(values, resampledMeans(values, options), options.level ?? 0.95);
}

/**
 * The mean per-shopper difference a[i] - b[i] of two models on the same shoppers, each
 * resample drawing the same shoppers for both (a paired bootstrap).
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions): PairedInterval {
  if (a.length !== b.length) throw new RangeError(`paired values differ in length: ${a.length} vs ${b.length}`);
  const diffs = Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
  const means = resampledMeans(diffs, options);
  return { ...summarize(diffs, means, options.level ?? 0.95), above: means.filter((m) => m > 0).length / Math.max(1, means.length) };
}

function resampledMeans(values: ArrayLike<number>, options: BootstrapOptions): Float64Array {
  const n = values.length;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const means = new Float64Array(n === 0 ? 0 : resamples);
  for (let r = 0; r < means.length; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(options.random() * n)]!;
    means[r] = sum / n;
  }
  return means.sort();
}

function summarize(values: ArrayLike<number>, sortedMeans: Float64Array, level: number): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level ${level} is invalid: use a number in (0, 1)`);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const estimate = values.length === 0 ? 0 : sum / values.length;
  if (sortedMeans.length === 0) return { estimate, low: estimate, high: estimate };
  return { estimate, low: quantile(sortedMeans, (1 - level) / 2), high: quantile(sortedMeans, 1 - (1 - level) / 2) };
}

/** Linear interpolation between order statistics (the common "type 7" quantile). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

import { describe, expect, it } from 'vitest';
import { benchVariants, ratioPairs, SIMD_PASS, SINGLE, threadCounts, threadedName, threadedVariant, tfjsThreads, topKMismatches } from './wasm-threads-variants.ts';

describe('tfjsThreads', () => {
  it('caps at hardwareConcurrency / 2 and at 8, as tfjs 4.22 does', () => {
    expect(tfjsThreads(2, 2)).toBe(1);
    expect(tfjsThreads(2, 4)).toBe(2);
    expect(tfjsThreads(16, 16)).toBe(8);
    expect(tfjsThreads(0, 8)).toBe(1);
    expect(tfjsThreads(1, 1)).toBe(1);
  });
});

describe('threadCounts', () => {
  it('keeps 1, 2 and the machine count once each, ascending, at most 8', () => {
    expect(threadCounts(16)).toEqual([1, 2, 8]);
    expect(threadCounts(4)).toEqual([1, 2, 4]);
    expect(threadCounts(2)).toEqual([1, 2]);
    expect(threadCounts(0)).toEqual([1, 2]);
  });
});

describe('threadedVariant', () => {
  it('lifts the hardwareConcurrency / 2 cap only where it would bite', () => {
    expect(threadedVariant(2, 2)).toMatchObject({ query: 'threads=2&cores=4', threads: 2 });
    expect(threadedVariant(2, 2).name).toContain('shown to tfjs as 4');
    expect(threadedVariant(2, 16)).toEqual({ name: threadedName(2), query: 'threads=2', threads: 2, kind: 'tfjs' });
    expect(threadedVariant(1, 2)).toMatchObject({ query: 'threads=1', threads: 1 });
  });
});

describe('benchVariants', () => {
  it('runs the single-threaded binary first and the SIMD pass last, both on the threads=0 page', () => {
    const variants = benchVariants(16);
    expect(variants.map((v) => v.name)).toEqual([SINGLE, threadedName(1), threadedName(2), threadedName(8), SIMD_PASS]);
    expect(variants[0]).toMatchObject({ query: 'threads=0', kind: 'tfjs' });
    expect(variants.at(-1)).toMatchObject({ query: 'threads=0', kind: 'simd-pass' });
  });
});

describe('ratioPairs', () => {
  it('compares the baseline with every threaded run and the SIMD pass, and each threaded run with the SIMD pass', () => {
    const pairs = ratioPairs(benchVariants(2)).map((p) => `${p.numerator} / ${p.denominator}`);
    expect(pairs).toEqual([
      `${SINGLE} / ${threadedName(1)}`,
      `${SINGLE} / ${threadedVariant(2, 2).name}`,
      `${SINGLE} / ${SIMD_PASS}`,
      `${threadedName(1)} / ${SIMD_PASS}`,
      `${threadedVariant(2, 2).name} / ${SIMD_PASS}`,
    ]);
  });
});

describe('topKMismatches', () => {
  it('names the lists that differ from the first, order included', () => {
    const lists = new Map([
      ['a', [1, 2, 3]],
      ['b', [1, 2, 3]],
      ['c', [1, 3, 2]],
      ['d', [1, 2]],
    ]);
    expect(topKMismatches(lists)).toEqual(['c', 'd']);
    expect(topKMismatches(new Map())).toEqual([]);
  });
});

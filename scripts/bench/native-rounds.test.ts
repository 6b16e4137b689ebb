import { describe, expect, it } from 'vitest';
import { allSamples, alternateRounds, roundShoppers, identicalFraction, maxRankwiseDifference, perRoundRatios, type RoundStep } from './native-rounds.ts';

describe('alternateRounds', () => {
  it('runs each step once per round, in order, and keeps each round apart', async () => {
    const calls: string[] = [];
    const step = (name: string, ms: number): RoundStep => ({
      name,
      run: async (round) => {
        calls.push(`${name}${round}`);
        return [ms * (round + 1), ms * (round + 1) + 1];
      },
    });
    const samples = await alternateRounds([step('a', 10), step('b', 2)], 3);
    expect(calls).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(samples.get('a')).toEqual([[10, 11], [20, 21], [30, 31]]);
    expect(allSamples(samples, 'b')).toEqual([2, 3, 4, 5, 6, 7]);
  });
});

describe('roundShoppers', () => {
  it('walks through every shopper in turn, a few a round, wrapping around', () => {
    expect([0, 1, 2, 3].map((r) => roundShoppers(r, 2, 5))).toEqual([[0, 1], [2, 3], [4, 0], [1, 2]]);
    expect(roundShoppers(3, 4, 2)).toEqual([0, 1]);
  });
});

describe('perRoundRatios', () => {
  it('divides the medians of the same round, so a slow round slows both sides alike', () => {
    const samples = new Map([
      ['wasm', [[4, 6, 5], [10, 12, 11]]],
      ['torch', [[1, 1, 1], [2, 2, 2]]],
    ]);
    expect(perRoundRatios(samples, 'wasm', 'torch')).toEqual([5, 5.5]);
  });

  it('refuses steps that ran different numbers of rounds', () => {
    expect(() => perRoundRatios(new Map([['a', [[1]]], ['b', []]]), 'a', 'b')).toThrow(RangeError);
  });
});

describe('parity of served lists', () => {
  it('counts identical top-k lists, order included', () => {
    expect(identicalFraction([[1, 2], [3, 4], [5, 6], [7, 8]], [[1, 2], [4, 3], [5, 6], [7, 9]])).toBe(0.5);
    expect(() => identicalFraction([], [])).toThrow(RangeError);
  });

  it('finds the largest score difference rank by rank', () => {
    expect(maxRankwiseDifference([[3, 2], [1, 0.5]], [[3, 2.25], [0.875, 0.5]])).toBe(0.25);
    expect(() => maxRankwiseDifference([[1]], [[1, 2]])).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { selectEnsemble, weightedScores } from './ensemble-select.ts';

describe('selectEnsemble', () => {
  it('starts from the best single candidate and adds while the objective rises', () => {
    // Hand-made objective: candidate 1 alone 0.5, with one candidate 2 added 0.6, anything
    // else lower; a second copy of 2 (counts [0, 1, 2]) would be 0.55, so selection stops.
    const table: Record<string, number> = {
      '1,0,0': 0.3, '0,1,0': 0.5, '0,0,1': 0.4,
      '1,1,0': 0.45, '0,2,0': 0.5, '0,1,1': 0.6,
      '1,1,1': 0.58, '0,2,1': 0.59, '0,1,2': 0.55,
    };
    const seen: string[] = [];
    const result = selectEnsemble(3, (counts) => {
      seen.push(counts.join(','));
      return table[counts.join(',')] ?? 0;
    });
    expect(result.counts).toEqual([0, 1, 1]);
    expect(result.rounds).toEqual([{ member: 1, score: 0.5 }, { member: 2, score: 0.6 }]);
    expect(seen).toHaveLength(9);
  });

  it('picks a candidate again when a second copy helps (selection with replacement)', () => {
    const result = selectEnsemble(2, ([a, b]) => -((a! - 3) ** 2) - (b! - 1) ** 2, 10);
    expect(result.counts).toEqual([3, 1]);
    expect(result.rounds.map((r) => r.member)).toEqual([0, 0, 0, 1]);
  });

  it('stops after maxRounds and breaks ties towards the lower index', () => {
    expect(selectEnsemble(3, (c) => c.reduce((s, x) => s + x, 0), 2).counts).toEqual([2, 0, 0]);
  });

  it('rejects an empty candidate list', () => {
    expect(() => selectEnsemble(0, () => 0)).toThrow(RangeError);
  });
});

describe('weightedScores', () => {
  it('adds the members per case with their weights', () => {
    const a = [Float32Array.from([1, 2]), Float32Array.from([0, 1])];
    const b = [Float32Array.from([10, 0]), Float32Array.from([1, 1])];
    const out = weightedScores([a, b], [2, 1]);
    expect(out.map((x) => [...x])).toEqual([[12, 4], [1, 3]]);
  });

  it('needs one weight per member', () => {
    expect(() => weightedScores([[Float32Array.from([1])]], [1, 2])).toThrow(/1 score sets/);
  });
});

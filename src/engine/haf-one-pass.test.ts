import { describe, expect, it } from 'vitest';
import type { Explanation, HafRecommender } from '../model/recommender.ts';
import { onePassHaf } from './haf-one-pass.ts';

function stub() {
  const calls: string[] = [];
  const explanation = { positions: [], views: {} } as unknown as Explanation;
  const haf = {
    name: 'haf',
    score: async (r: readonly unknown[]) => (calls.push('score'), r.map(() => Float32Array.from([1]))),
    scoreWithExplanation: async () => (calls.push('scoreWithExplanation'), [{ scores: Float32Array.from([2]), explanation }]),
    explainAttention: async () => (calls.push('explainAttention'), explanation),
    recommend: async () => [],
    dispose: () => undefined,
    fusedActive: false,
  } as unknown as HafRecommender;
  return { haf, calls, explanation };
}

describe('onePassHaf', () => {
  it('scores a single request and explains it from the same forward pass', async () => {
    const { haf, calls, explanation } = stub();
    const pass = onePassHaf(haf);
    const history = Int32Array.from([3, 4]);
    expect(await pass.scorer.score([{ history, domain: 1 }])).toEqual([Float32Array.from([2])]);
    expect(await pass.explanation(Int32Array.from([3, 4]), 1)).toBe(explanation);
    expect(calls).toEqual(['scoreWithExplanation']);
  });

  it('sends batches and candidate lists to score(), and explains another history with its own pass', async () => {
    const { haf, calls } = stub();
    const pass = onePassHaf(haf);
    await pass.scorer.score([{ history: Int32Array.from([1]), domain: 0 }, { history: Int32Array.from([2]), domain: 0 }]);
    await pass.scorer.score([{ history: Int32Array.from([1]), domain: 0, candidates: Int32Array.from([5]) }]);
    await pass.explanation(Int32Array.from([9]), 0);
    expect(calls).toEqual(['score', 'score', 'explainAttention']);
  });

  it('while the fused pass serves, a single request is still scored and explained by one call (the fused pass reads the attention back with the scores)', async () => {
    const { haf, calls, explanation } = stub();
    (haf as unknown as { fusedActive: boolean }).fusedActive = true;
    const pass = onePassHaf(haf);
    const history = Int32Array.from([3, 4]);
    expect(await pass.scorer.score([{ history, domain: 1 }])).toEqual([Float32Array.from([2])]);
    expect(await pass.explanation(history, 1)).toBe(explanation);
    expect(calls).toEqual(['scoreWithExplanation']);
  });
});

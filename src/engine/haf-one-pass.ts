import type { Recommender, ScoreRequest } from '../eval/recommender.ts';
import type { Explanation, HafRecommender } from '../model/recommender.ts';

/**
 * One HAF forward pass per widget refresh: the scores of a single whole-domain request come
 * from scoreWithExplanation (exactly score()'s numbers), and the attention it read is kept for
 * the explain() call that follows for the same history and domain (recommend-service asks for
 * the picks' reasons right after ranking them). Batches and candidate lists go to score().
 * The same holds while the fused WebGPU pass serves (haf.fusedActive): its one submit and one
 * read-back carry the attention after the scores, so the explanation costs no second pass.
 */
export interface OnePassHaf {
  readonly scorer: Recommender;
  explanation(history: Int32Array, domain: number): Promise<Explanation>;
}

const keyOf = (history: Int32Array, domain: number): string => `${domain}:${history.join(',')}`;

export function onePassHaf(haf: HafRecommender): OnePassHaf {
  let last: { key: string; explanation: Explanation } | undefined;
  const score = async (requests: readonly ScoreRequest[]): Promise<Float32Array[]> => {
    const one = requests[0];
    if (requests.length !== 1 || !one || one.candidates) return haf.score(requests);
    const [out] = await haf.scoreWithExplanation(requests);
    last = { key: keyOf(one.history, one.domain), explanation: out!.explanation };
    return [out!.scores];
  };
  return {
    scorer: { name: haf.name, score, recommend: (h, d, k, ex) => haf.recommend(h, d, k, ex), dispose: () => haf.dispose() },
    explanation: async (history, domain) => {
      const key = keyOf(history, domain);
      if (last?.key === key) return last.explanation;
      return haf.explainAttention(history, domain);
    },
  };
}

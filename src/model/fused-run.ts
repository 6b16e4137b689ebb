/**
 * HafRecommender's whole-domain requests on the fused WebGPU pass (gpu-forward/): scores
 * alone, or scores and explanations from one submit and one read-back per request (the
 * read-back carries the attention after the scores), labelled as the SIMD pass's are
 * (AttentionExplainer), so an explanation never costs a second pass while the fused pass serves.
 */
import type { ScoreRequest } from '../eval/recommender.ts';
import type { ExplainTarget, Explanation } from './explain.ts';
import type { FusedWholeDomain } from './gpu-forward/fused-whole-domain.ts';
import type { AttentionExplainer } from './shopper-explain.ts';

/** What a forward pass reads back: scores, explanations or both. */
export interface PassMode {
  readonly scores: boolean;
  readonly explain: boolean;
}

export interface PassResult {
  readonly scores: Float32Array[];
  readonly explanations: Explanation[];
}

/** How the recommender explains a request: what it is explained against, and the labels of its attention. */
export interface FusedExplain {
  target(request: ScoreRequest): ExplainTarget;
  explainer(): Promise<AttentionExplainer>;
}

/** `requests` (validated) on `fused`, or undefined where it does not serve them (candidates, inactive, lost). */
export async function fusedRun(fused: FusedWholeDomain | undefined, requests: readonly ScoreRequest[], mode: PassMode, how: FusedExplain): Promise<PassResult | undefined> {
  if (!fused?.active || requests.some((r) => r.candidates)) return undefined;
  if (!mode.explain) {
    const scores = await fused.score(requests);
    return scores && { scores, explanations: [] };
  }
  const [passes, explainer] = await Promise.all([fused.explained(requests, mode.scores), how.explainer()]);
  if (!passes) return undefined;
  const explanations = passes.map((p, i) => explainer.explain(how.target(requests[i]!), p.attention));
  return { scores: mode.scores ? passes.map((p) => p.scores) : [], explanations };
}

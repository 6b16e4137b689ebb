/** What HafRecommender is configured with and what its one-pass calls answer. */
import type { Recommendation } from '../eval/recommender.ts';
import type { Explanation } from './explain.ts';
import type { Int8ItemTable } from './int8-item-table.ts';

export interface HafRecommenderOptions {
  readonly name?: string;
  /** Requests per forward pass. */
  readonly batchSize?: number;
  /** Dispose the model with the recommender (default true). */
  readonly ownsModel?: boolean;
  /**
   * Item tower outputs computed ahead (a bundle's items.bin): vectors [(size + 1) * d] and
   * modality weights [(size + 1) * (1 + modalities)]. Used instead of running the item tower.
   */
  readonly itemTable?: ItemTableData;
  /**
   * Item vectors as int8 rows (a large catalog): whole-domain scores come from its int8
   * kernel, candidate scores from its dequantized rows. The recommender disposes it.
   */
  readonly int8Items?: Int8ItemTable;
  /** Whole-domain scores and explanations from the SIMD pass (shopper-explain.ts) where it applies (default true); false: tfjs kernels only. */
  readonly shopperForward?: boolean;
}

/** The item tower's output for every catalog row (row 0 = padding). */
export interface ItemTableData {
  readonly vectors: Float32Array;
  readonly alpha?: Float32Array;
}

/** A request's scores and explanation from one forward pass. */
export interface ExplainedScores {
  /** Exactly what score() returns for the same requests. */
  readonly scores: Float32Array;
  /**
   * What explainAttention() returns for the request's history and domain: bit for bit, but
   * in a tfjs batch wasm's kernels may round the last bit differently (~1e-7).
   */
  readonly explanation: Explanation;
}

/** A recommendation and its explanation from one forward pass. */
export interface ExplainedRecommendation {
  /** Exactly what recommend() returns. */
  readonly recommendations: Recommendation[];
  /** Exactly what explainAttention() returns. */
  readonly explanation: Explanation;
}

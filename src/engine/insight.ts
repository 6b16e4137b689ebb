import type { Recommender } from '../eval/recommender.ts';

/**
 * A model's full account of a domain's picks, beyond the one reason per pick a shop shows: what
 * the demo's store and insights pages draw (HAF's domain and modality attention, co-occurrence
 * votes). A recommend request asks for it with `insight: true`; the tag never does.
 */

/** One history item's share of a recommendation. */
export interface Contribution {
  readonly itemId: string;
  readonly weight: number;
}

export interface Explanation {
  /** What it explains: the model's attention over the history, or co-occurrence votes. */
  readonly source: 'attention' | 'votes' | 'none';
  /** Share of the pick driven by each history domain (sums to 1 when defined). */
  readonly domainWeights: Readonly<Record<string, number>>;
  /** Modality attention of the pick (HAF only): e.g. {id: 0.5, text: 0.5}. */
  readonly modalityWeights?: Readonly<Record<string, number>>;
  /** History items that mattered most, strongest first. */
  readonly items: readonly Contribution[];
}

/** A domain's insight: one explanation for all its picks (attention), and/or one per pick (votes). */
export interface DomainInsight {
  readonly shared?: Explanation;
  /** Aligned with the picks; undefined where a pick has no reasons of its own. */
  readonly picks: readonly (Explanation | undefined)[];
}

/** A recommender that can give that account, for the picks it just ranked. */
export interface InsightRecommender extends Recommender {
  insight(history: Int32Array, domain: number, items: Int32Array): Promise<DomainInsight>;
}

export function canGiveInsight(recommender: Recommender): recommender is InsightRecommender {
  return typeof (recommender as Partial<InsightRecommender>).insight === 'function';
}

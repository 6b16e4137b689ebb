import type { Recommender } from '../../eval/recommender.ts';
import { createPopularity } from '../../eval/baselines/popularity.ts';
import { createCooccurrence, DEFAULT_COOCCURRENCE } from '../../eval/baselines/cooccurrence.ts';
import type { Explanation } from './workbench-protocol.ts';
import type { WorkbenchData } from './workbench-jobs.ts';
import { explainCooccurrence, historyDomainShare } from './workbench-explain.ts';
import type { BaselineKindName } from '../model-kinds.ts';

/** A recommender the demo can show, with its own way of explaining a pick. */
export interface WorkbenchModel {
  readonly recommender: Recommender;
  /** Where its arithmetic runs, e.g. "js" or a TensorFlow.js backend name. */
  readonly backend: string;
  readonly note: string;
  explain(history: Int32Array, domain: number, items: readonly number[]): Promise<DomainExplanation>;
  dispose(): void;
}

/** A domain's reasons: one for all its picks (attention), and/or one per pick (votes). */
export interface DomainExplanation {
  readonly shared?: Explanation;
  readonly picks: readonly (Explanation | undefined)[];
}

/** Co-occurrence's reasons for each pick: the history items that voted for it. */
export function cooccurrenceVoters(data: WorkbenchData, history: Int32Array, items: readonly number[]): Explanation[] {
  const { catalog } = data.dataset;
  return items.map((item) => explainCooccurrence(catalog, data.transitions, DEFAULT_COOCCURRENCE, history, item));
}

export function createCooccurrenceModel(data: WorkbenchData): WorkbenchModel {
  const { catalog } = data.dataset;
  const recommender = createCooccurrence(catalog, data.transitions, data.popularity, DEFAULT_COOCCURRENCE);
  return {
    recommender,
    backend: 'js',
    note: 'last-item co-occurrence baseline (the eval CLI\'s "cooccurrence")',
    explain: async (history, _domain, items) => ({
      picks: cooccurrenceVoters(data, history, items).map((why) =>
        why.items.length > 0 ? why : { source: 'none', domainWeights: historyDomainShare(catalog, history), items: [] }),
    }),
    dispose: () => recommender.dispose(),
  };
}

export function createPopularityModel(data: WorkbenchData): WorkbenchModel {
  const recommender = createPopularity(data.dataset.catalog, data.popularity);
  return {
    recommender,
    backend: 'js',
    note: 'popularity baseline: the same picks for everyone',
    explain: async (_history, _domain, items) => ({ picks: items.map(() => ({ source: 'none', domainWeights: {}, items: [] })) }),
    dispose: () => recommender.dispose(),
  };
}

/** The workbench's view of each registry kind built from training counts alone. */
export const BASELINE_VIEWS: Readonly<Record<BaselineKindName, (data: WorkbenchData) => WorkbenchModel>> = {
  cooccurrence: createCooccurrenceModel,
  popularity: createPopularityModel,
};

/**
 * The same recommender, but each score() call first yields to the worker's event loop so
 * that a cancel message can arrive during a long evaluation. Scores are untouched.
 */
export function yieldingRecommender(inner: Recommender): Recommender {
  return {
    name: inner.name,
    score: async (requests) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return inner.score(requests);
    },
    recommend: (history, domain, k, exclude) => inner.recommend(history, domain, k, exclude),
    dispose: () => inner.dispose(),
  };
}

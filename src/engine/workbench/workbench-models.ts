import type { Recommender } from '../../eval/recommender.ts';
import { DEFAULT_COOCCURRENCE } from '../../eval/baselines/cooccurrence.ts';
import type { DomainInsight, Explanation, InsightRecommender } from '../insight.ts';
import type { WorkbenchData } from './workbench-data.ts';
import { explainCooccurrence, historyDomainShare } from './workbench-explain.ts';
import type { BaselineKindName } from '../model-kinds.ts';
import { loadDatasetModel } from './workbench-manifests.ts';

/**
 * A model the demo serves: a recommender that gives its insight (../insight.ts), which the
 * engine's one recommend path serves to the demo's store as it serves a shop's model.
 */
export interface WorkbenchModel {
  readonly recommender: InsightRecommender;
  /** Where its arithmetic runs, e.g. "js" or a TensorFlow.js backend name. */
  readonly backend: string;
  readonly note: string;
  dispose(): void;
}

/** `inner` with an insight of its own; disposing the result disposes `inner` only when `owns`. */
export function withInsight<R extends Recommender>(inner: R, insight: InsightRecommender['insight'], owns: boolean): Omit<R, 'dispose'> & InsightRecommender {
  return { ...inner, insight, dispose: () => (owns ? inner.dispose() : undefined) };
}

/** Co-occurrence's reasons for each pick: the history items that voted for it. */
export function cooccurrenceVoters(data: WorkbenchData, history: Int32Array, items: Int32Array): Explanation[] {
  const { catalog } = data.dataset;
  return Array.from(items, (item) => explainCooccurrence(catalog, data.transitions, DEFAULT_COOCCURRENCE, history, item));
}

/** Co-occurrence, loaded through the registry from the dataset's manifest (workbench-manifests.ts), with its votes as insight. */
export async function createCooccurrenceModel(data: WorkbenchData): Promise<WorkbenchModel> {
  const { catalog } = data.dataset;
  const prior = await loadDatasetModel(data, 'cooccurrence');
  const insight = async (history: Int32Array, _domain: number, items: Int32Array): Promise<DomainInsight> => ({
    picks: cooccurrenceVoters(data, history, items).map((why) =>
      why.items.length > 0 ? why : { source: 'none', domainWeights: historyDomainShare(catalog, history), items: [] }),
  });
  return countedModel(prior, insight, 'last-item co-occurrence baseline (the eval CLI\'s "cooccurrence")');
}

/** Popularity, loaded through the registry from the dataset's manifest (workbench-manifests.ts). */
export async function createPopularityModel(data: WorkbenchData): Promise<WorkbenchModel> {
  const popularity = await loadDatasetModel(data, 'popularity');
  const insight = async (_history: Int32Array, _domain: number, items: Int32Array): Promise<DomainInsight> => ({
    picks: Array.from(items, () => ({ source: 'none', domainWeights: {}, items: [] })),
  });
  return countedModel(popularity, insight, 'popularity baseline: the same picks for everyone');
}

/** A baseline counted from the dataset, with its insight, served in plain JS. */
function countedModel(inner: Recommender, insight: InsightRecommender['insight'], note: string): WorkbenchModel {
  const recommender = withInsight(inner, insight, true);
  return { recommender, backend: 'js', note, dispose: () => recommender.dispose() };
}

/** The workbench's view of each registry kind built from training counts alone, loaded as a shop's manifest is. */
export const BASELINE_VIEWS: Readonly<Record<BaselineKindName, (data: WorkbenchData) => Promise<WorkbenchModel>>> = {
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

import type { Catalog } from '../../catalog/types.ts';
import { cooccurrenceVotes, votesByItem, type CooccurrenceParams, type TransitionTable } from '../../eval/baselines/cooccurrence.ts';
import type { Explanation } from '../insight.ts';

/**
 * Why co-occurrence picked `item`: exactly the votes its score is made of
 * (cooccurrenceVotes, the recommender's own), summed per history item, strongest first.
 */
export function explainCooccurrence(
  catalog: Catalog,
  table: TransitionTable,
  params: CooccurrenceParams,
  history: Int32Array,
  item: number,
): Explanation {
  const votes = votesByItem(history, cooccurrenceVotes(table, params, history, item));
  const total = [...votes.values()].reduce((a, b) => a + b, 0);
  const domainWeights: Record<string, number> = {};
  const items = [...votes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([src, vote]) => {
      const domain = catalog.domains[catalog.domainOf[src]!]!;
      domainWeights[domain] = (domainWeights[domain] ?? 0) + vote / total;
      return { itemId: catalog.id(src), weight: vote / total };
    });
  return { source: 'votes', domainWeights, items };
}

/** Share of each domain among the history items (used when a pick has no votes). */
export function historyDomainShare(catalog: Catalog, history: Int32Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (const index of history) {
    const domain = catalog.domains[catalog.domainOf[index]!]!;
    out[domain] = (out[domain] ?? 0) + 1 / history.length;
  }
  return out;
}

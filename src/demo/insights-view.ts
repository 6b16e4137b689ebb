import { clear, el, percent } from './dom.ts';
import type { AppContext } from './context.ts';
import type { RecommendResult } from '../engine/workbench/workbench-protocol.ts';
import { benchmarkPanel } from './benchmark-panel.ts';

/**
 * Which history domain feeds which recommendation domain: HAF's domain attention for the
 * domain's picks when the model has one, else the mean share of each pick's co-occurrence votes.
 */
export function transferMatrix(result: RecommendResult, sources: readonly string[]): number[][] {
  return result.perDomain.map((recs) => {
    const row = sources.map(() => 0);
    if (recs.shared) sources.forEach((d, j) => (row[j] = recs.shared!.domainWeights[d] ?? 0));
    else for (const pick of recs.items) sources.forEach((d, j) => (row[j]! += (pick.explanation?.domainWeights[d] ?? 0) / recs.items.length));
    return row;
  });
}

/** History sources in the explanations: the catalog's domains, plus HAF's "mixed" view when present. */
export function transferSources(result: RecommendResult, domains: readonly string[]): string[] {
  const extra = new Set<string>();
  for (const recs of result.perDomain) {
    const reasons = recs.shared ? [recs.shared] : recs.items.map((pick) => pick.explanation);
    for (const why of reasons) for (const key of Object.keys(why?.domainWeights ?? {})) if (!domains.includes(key)) extra.add(key);
  }
  return [...domains, ...extra];
}

export function insightsView(ctx: AppContext): { root: HTMLElement; showTransfer(result: RecommendResult): void } {
  const heat = el('div', { id: 'heatmap' });
  const showTransfer = (result: RecommendResult): void => {
    clear(heat);
    const domains = transferSources(result, ctx.catalog.domains);
    const matrix = transferMatrix(result, domains);
    const empty = matrix.every((row) => row.every((v) => v === 0));
    if (empty) {
      heat.append(el('p', { class: 'muted', text: 'No history yet: view a few items or replay a real shopper, then come back.' }));
      return;
    }
    const table = el('table', { class: 'heatmap' },
      el('caption', { text: `${result.model}: share of each recommendation domain's picks driven by each history domain` }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'picks in ↓ / driven by →' }), ...domains.map((d) => el('th', { scope: 'col', text: d === 'mixed' ? 'whole history (mixed view)' : `${d} history` })))),
    );
    const tbody = el('tbody');
    result.perDomain.forEach((recs, i) => {
      tbody.append(el('tr', {}, el('th', { scope: 'row', text: `${recs.domain} picks` }),
        ...matrix[i]!.map((v) => el('td', { style: `--heat:${(v * 100).toFixed(1)}%`, 'data-value': v.toFixed(4), text: percent(v) }))));
    });
    table.append(tbody);
    heat.append(table, el('p', { class: 'muted small', text: result.perDomain.some((recs) => recs.shared)
      ? 'From HAF\'s domain attention (level 3) behind each domain\'s current picks.'
      : 'From the co-occurrence votes: which of your recent items (and their domains) made each pick; rows may not sum to 100% when a pick is a pure popularity fill.' }));
  };
  const root = el('section', { class: 'view', id: 'view-insights', 'aria-labelledby': 'tab-insights', hidden: true },
    el('h2', { text: 'Domain transfer' }), heat,
    benchmarkPanel(ctx),
  );
  return { root, showTransfer };
}

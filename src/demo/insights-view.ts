import { clear, el, percent } from './dom.ts';
import type { AppContext } from './context.ts';
import type { DomainPicks } from './recs-panel.ts';
import { benchmarkPanel } from './benchmark-panel.ts';

/**
 * Which history domain feeds which recommendation domain: HAF's domain attention for the
 * domain's picks when the model has one, else the mean share of each pick's co-occurrence votes.
 */
export function transferMatrix(perDomain: readonly DomainPicks[], sources: readonly string[]): number[][] {
  return perDomain.map(({ recs }) => {
    const row = sources.map(() => 0);
    const shared = recs.insight?.shared;
    const picks = recs.insight?.picks ?? [];
    if (shared) sources.forEach((d, j) => (row[j] = shared.domainWeights[d] ?? 0));
    else for (const why of picks) sources.forEach((d, j) => (row[j]! += (why?.domainWeights[d] ?? 0) / recs.items.length));
    return row;
  });
}

/** History sources in the explanations: the catalog's domains, plus HAF's "mixed" view when present. */
export function transferSources(perDomain: readonly DomainPicks[], domains: readonly string[]): string[] {
  const extra = new Set<string>();
  for (const { recs } of perDomain) {
    const reasons = recs.insight?.shared ? [recs.insight.shared] : (recs.insight?.picks ?? []);
    for (const why of reasons) for (const key of Object.keys(why?.domainWeights ?? {})) if (!domains.includes(key)) extra.add(key);
  }
  return [...domains, ...extra];
}

export function insightsView(ctx: AppContext): { root: HTMLElement; showTransfer(perDomain: readonly DomainPicks[]): void } {
  const heat = el('div', { id: 'heatmap' });
  const showTransfer = (perDomain: readonly DomainPicks[]): void => {
    clear(heat);
    const domains = transferSources(perDomain, ctx.catalog.domains);
    const matrix = transferMatrix(perDomain, domains);
    const empty = matrix.every((row) => row.every((v) => v === 0));
    if (empty) {
      heat.append(el('p', { class: 'muted', text: 'No history yet: view a few items or replay a real shopper, then come back.' }));
      return;
    }
    const table = el('table', { class: 'heatmap' },
      el('caption', { text: `${perDomain[0]?.recs.model ?? ''}: share of each recommendation domain's picks driven by each history domain` }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'picks in ↓ / driven by →' }), ...domains.map((d) => el('th', { scope: 'col', text: d === 'mixed' ? 'whole history (mixed view)' : `${d} history` })))),
    );
    const tbody = el('tbody');
    perDomain.forEach(({ domain }, i) => {
      tbody.append(el('tr', {}, el('th', { scope: 'row', text: `${domain} picks` }),
        ...matrix[i]!.map((v) => el('td', { style: `--heat:${(v * 100).toFixed(1)}%`, 'data-value': v.toFixed(4), text: percent(v) }))));
    });
    table.append(tbody);
    heat.append(table, el('p', { class: 'muted small', text: perDomain.some(({ recs }) => recs.insight?.shared)
      ? 'From HAF\'s domain attention (level 3) behind each domain\'s current picks.'
      : 'From the co-occurrence votes: which of your recent items (and their domains) made each pick; rows may not sum to 100% when a pick is a pure popularity fill.' }));
  };
  const root = el('section', { class: 'view', id: 'view-insights', 'aria-labelledby': 'tab-insights', hidden: true },
    el('h2', { text: 'Domain transfer' }), heat,
    benchmarkPanel(ctx),
  );
  return { root, showTransfer };
}

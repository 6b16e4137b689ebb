import { clear, el, ms, percent } from './dom.ts';
import { titleOf, type AppContext } from './context.ts';
import { itemSequence } from './history.ts';
import { domainBadge } from './item-card.ts';
import type { DomainRecommendations, Explanation, RecommendResult, RecommendedItem } from '../engine/workbench/workbench-protocol.ts';

const PICKS = 8;

export interface RecsPanel {
  readonly root: HTMLElement;
  update(): void;
  onResult(listener: (result: RecommendResult) => void): void;
}

/** One panel per domain; recomputed in the worker after every history change. */
export function recsPanel(ctx: AppContext): RecsPanel {
  const body = el('div', { class: 'recs-body' });
  const meta = el('p', { class: 'muted small', id: 'recs-meta', 'aria-live': 'polite' });
  const root = el('aside', { class: 'recs', id: 'recs', 'aria-labelledby': 'recs-title' },
    el('h2', { id: 'recs-title', text: 'Recommended for you' }), meta, body);
  const listeners: ((r: RecommendResult) => void)[] = [];
  let generation = 0;

  const update = (): void => {
    const mine = ++generation;
    const history = itemSequence(ctx.history.events, ctx.positionOf);
    const t0 = performance.now();
    ctx.client.call({ kind: 'recommendAll', history, k: PICKS }).then((result) => {
      if (mine !== generation) return;
      requestAnimationFrame(() => {
        if (mine !== generation) return;
        clear(body);
        for (const domain of result.perDomain) body.append(domainSection(ctx, domain));
        const total = performance.now() - t0;
        meta.textContent = `${result.model} on ${result.backend} · ${ms(result.ms)} in the worker (scoring ${ms(result.scoreMs)}), ${ms(total)} event to screen · history of ${history.length}`;
        meta.dataset.workerMs = result.ms.toFixed(1);
        meta.dataset.scoreMs = result.scoreMs.toFixed(1);
        root.dataset.generation = String(mine);
        root.dataset.historyLength = String(history.length);
        for (const listener of listeners) listener(result);
      });
    }, (error: Error) => {
      if (mine === generation) meta.textContent = `Recommendations failed: ${error.message}`;
    });
  };
  return { root, update, onResult: (listener) => void listeners.push(listener) };
}

function domainSection(ctx: AppContext, recs: DomainRecommendations): HTMLElement {
  const size = ctx.domainSizes[ctx.catalog.domains.indexOf(recs.domain)] ?? 0;
  const list = el('ol', { class: 'rec-list' });
  for (const pick of recs.items) list.append(pickRow(ctx, pick, recs.shared !== undefined));
  return el('section', { class: 'rec-domain', 'data-domain': recs.domain },
    el('h3', {}, domainBadge(recs.domain), ` ${recs.domain[0]!.toUpperCase()}${recs.domain.slice(1)} picks`),
    el('p', { class: 'muted small latency', text: `ranked all ${size.toLocaleString()} items; top picks and reasons in ${ms(recs.ms)}` }),
    recs.shared ? el('div', { class: 'shared-why' }, el('p', { class: 'small', text: 'Why these picks (HAF\'s attention):' }), explanationBlock(ctx, recs.shared)) : null,
    list,
  );
}

/** A pick with its own reasons; beside HAF's attention those are the co-occurrence prior's votes. */
function pickRow(ctx: AppContext, pick: RecommendedItem, prior: boolean): HTMLElement {
  const position = ctx.positionOf.get(pick.itemId)!;
  return el('li', { class: 'rec', 'data-item': pick.itemId },
    el('button', { type: 'button', class: 'link rec-title', text: titleOf(ctx, position), onclick: () => ctx.viewItem(position) }),
    pick.explanation ? explanationBlock(ctx, pick.explanation, prior) : null,
  );
}

/** "Because you bought A (60%), B (40%)", the domain split, and modality weights when known. */
export function explanationBlock(ctx: AppContext, why: Explanation, prior = false): HTMLElement {
  const block = el('div', { class: `why small why-${why.source}${prior ? ' why-prior' : ''}` });
  const domains = Object.entries(why.domainWeights).filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]);
  if (why.items.length > 0) {
    const names = why.items.slice(0, 3).map((c) => {
      const p = ctx.positionOf.get(c.itemId);
      return `${p === undefined ? c.itemId : shorten(titleOf(ctx, p))} (${percent(c.weight)})`;
    });
    const lead = why.source === 'attention' ? 'Mattered most' : prior ? 'Co-occurrence prior: shoppers bought it after' : 'Because of';
    block.append(el('p', { class: 'because', text: `${lead}: ${names.join('; ')}` }));
  } else if (domains.length === 0) {
    block.append(el('p', { class: 'because muted', text: 'Popular pick: nothing in your history points to it.' }));
  }
  if (domains.length > 0) {
    const [top, share] = domains[0]!;
    const label = (d: string): string => (d === 'mixed' ? 'whole mixed' : d);
    block.append(
      el('p', { class: 'domain-line', text: `Your ${label(top)} history drove ${percent(share)} of ${prior ? 'these votes' : 'this'}${domains.length > 1 ? `, ${domains.slice(1).map(([d, w]) => `${label(d)} ${percent(w)}`).join(', ')}` : ''}.` }),
      weightBar(domains, 'domain'),
    );
  }
  if (why.modalityWeights) {
    const parts = Object.entries(why.modalityWeights).sort((a, b) => b[1] - a[1]);
    block.append(el('p', { class: 'modality-line', text: `Modalities: ${parts.map(([m, w]) => `${m} ${percent(w)}`).join(' · ')}` }));
  }
  return block;
}

function weightBar(parts: [string, number][], kind: string): HTMLElement {
  const bar = el('div', { class: `weight-bar ${kind}-bar`, role: 'img', 'aria-label': parts.map(([n, w]) => `${n} ${percent(w)}`).join(', ') });
  for (const [name, w] of parts) bar.append(el('span', { class: `seg-${name} domain-${name}`, style: `width:${(w * 100).toFixed(1)}%` }));
  return bar;
}

export function shorten(text: string, max = 48): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

import { clear, el, ms, percent } from './dom.ts';
import { titleOf, type AppContext } from './context.ts';
import { domainBadge } from './item-card.ts';
import type { Explanation } from '../engine/insight.ts';
import type { Recommendations, RecommendedItem } from '../engine/recommend-service.ts';

const PICKS = 8;

/** One domain's answer to the engine's recommend request, as the store shows it. */
export interface DomainPicks {
  readonly domain: string;
  readonly recs: Recommendations;
}

export interface RecsPanel {
  readonly root: HTMLElement;
  update(): void;
  onResult(listener: (perDomain: readonly DomainPicks[]) => void): void;
}

/**
 * Every domain's picks through the client call a shop's widget makes (`recommend`, with the
 * model's insight): the engine reads the stored history by the one history rule and ranks,
 * explains and accounts for the picks by the one recommend path. Domains are asked one after
 * the other, so each is ranked and explained by one forward pass.
 */
async function recommendEveryDomain(ctx: AppContext): Promise<DomainPicks[]> {
  const out: DomainPicks[] = [];
  for (const domain of ctx.catalog.domains) out.push({ domain, recs: await ctx.client.recommendations(domain, PICKS, { insight: true }) });
  return out;
}

/** One panel per domain; recomputed in the worker after every history change. */
export function recsPanel(ctx: AppContext): RecsPanel {
  const body = el('div', { class: 'recs-body' });
  const meta = el('p', { class: 'muted small', id: 'recs-meta', 'aria-live': 'polite' });
  const root = el('aside', { class: 'recs', id: 'recs', 'aria-labelledby': 'recs-title' },
    el('h2', { id: 'recs-title', text: 'Recommended for you' }), meta, body);
  const listeners: ((perDomain: readonly DomainPicks[]) => void)[] = [];
  let generation = 0;

  const show = (mine: number, perDomain: readonly DomainPicks[], t0: number): void => {
    clear(body);
    for (const picks of perDomain) body.append(domainSection(ctx, picks));
    const first = perDomain[0]!.recs;
    const worker = perDomain.reduce((sum, p) => sum + p.recs.ms, 0);
    meta.textContent = `${first.model} on ${first.backend ?? 'the engine'} · ${ms(worker)} in the worker, ${ms(performance.now() - t0)} event to screen · history of ${first.historyLength}`;
    meta.dataset.workerMs = worker.toFixed(1);
    root.dataset.generation = String(mine);
    root.dataset.historyLength = String(first.historyLength);
    for (const listener of listeners) listener(perDomain);
  };
  const update = (): void => {
    const mine = ++generation;
    const t0 = performance.now();
    recommendEveryDomain(ctx).then((perDomain) => {
      if (mine !== generation) return;
      requestAnimationFrame(() => {
        if (mine === generation) show(mine, perDomain, t0);
      });
    }, (error: Error) => {
      if (mine === generation) meta.textContent = `Recommendations failed: ${error.message}`;
    });
  };
  return { root, update, onResult: (listener) => void listeners.push(listener) };
}

function domainSection(ctx: AppContext, { domain, recs }: DomainPicks): HTMLElement {
  const size = ctx.domainSizes[ctx.catalog.domains.indexOf(domain)] ?? 0;
  const shared = recs.insight?.shared;
  const list = el('ol', { class: 'rec-list' });
  recs.items.forEach((pick, i) => list.append(pickRow(ctx, pick, recs.insight?.picks[i], shared !== undefined)));
  return el('section', { class: 'rec-domain', 'data-domain': domain },
    el('h3', {}, domainBadge(domain), ` ${domain[0]!.toUpperCase()}${domain.slice(1)} picks`),
    el('p', { class: 'muted small latency', text: `ranked all ${size.toLocaleString()} items; top picks, reasons and insight in ${ms(recs.ms)}` }),
    shared ? el('div', { class: 'shared-why' }, el('p', { class: 'small', text: 'Why these picks (HAF\'s attention):' }), explanationBlock(ctx, shared)) : null,
    list,
  );
}

/** A pick with its own reasons; beside HAF's attention those are the co-occurrence prior's votes. */
function pickRow(ctx: AppContext, pick: RecommendedItem, why: Explanation | undefined, prior: boolean): HTMLElement {
  const position = ctx.positionOf.get(pick.id)!;
  return el('li', { class: 'rec', 'data-item': pick.id },
    el('button', { type: 'button', class: 'link rec-title', text: titleOf(ctx, position), onclick: () => ctx.viewItem(position) }),
    why ? explanationBlock(ctx, why, prior) : null,
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

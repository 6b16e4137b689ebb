import { clear, el } from './dom.ts';
import { titleOf, type AppContext } from './context.ts';
import { domainBadge } from './item-card.ts';

const SHOWN = 10;
const VERB: Record<string, string> = { view: 'viewed', add_to_cart: 'added to cart', purchase: 'bought' };

/** The shopper's most recent events, newest first, straight from the store. */
export function historyPanel(ctx: AppContext): { root: HTMLElement; update(): void } {
  const list = el('ol', { class: 'history-list', id: 'history-list', reversed: true });
  const summary = el('p', { class: 'muted small', id: 'history-summary' });
  const root = el('section', { class: 'history', 'aria-labelledby': 'history-title' },
    el('h2', { id: 'history-title', text: 'Your history' }), summary, list);
  const update = (): void => {
    const events = ctx.history.events;
    clear(list);
    summary.textContent = events.length === 0
      ? 'Nothing yet. View or add items, or replay a real shopper. It stays in this browser (IndexedDB).'
      : `${events.length} events stored in this browser (IndexedDB).`;
    for (const e of events.slice(-SHOWN).reverse()) {
      const p = ctx.positionOf.get(e.itemId);
      list.append(el('li', { 'data-type': e.type },
        domainBadge(e.domain), ` ${VERB[e.type] ?? e.type}: `,
        p === undefined ? e.itemId : el('button', { type: 'button', class: 'link', text: titleOf(ctx, p), onclick: () => ctx.viewItem(p) }),
      ));
    }
  };
  return { root, update };
}

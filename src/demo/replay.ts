import { clear, el } from './dom.ts';
import { titleOf, type AppContext } from './context.ts';

/**
 * "Replay a real shopper": loads a test-split history into the store (replacing the
 * current one), then shows where the shopper's real, held-out next item ranks under the
 * current model, computed by the protocol's own ranking code.
 */
export function replayPanel(ctx: AppContext): HTMLElement {
  const users = ctx.catalog.testUsers;
  const user = el('input', { id: 'replay-user', list: 'replay-users', inputmode: 'numeric', size: 6, placeholder: 'random', 'aria-label': 'Test shopper id (blank for a random one)' });
  const options = el('datalist', { id: 'replay-users' });
  for (const u of users.slice(0, 200)) options.append(el('option', { value: u }));
  const button = el('button', { type: 'button', class: 'btn primary', id: 'replay', text: 'Replay a real shopper' });
  const out = el('div', { class: 'replay-out', id: 'replay-out', 'aria-live': 'polite' });

  button.addEventListener('click', async () => {
    const chosen = user.value.trim() || users[Math.floor(Math.random() * users.length)]!;
    button.disabled = true;
    clear(out);
    out.append(el('p', { class: 'muted', text: `Loading test shopper ${chosen}…` }));
    try {
      const shopper = await ctx.client.call({ kind: 'shopper', split: 'test', user: chosen });
      await ctx.history.replace(
        shopper.history.map((itemId) => ({ type: 'purchase' as const, itemId, domain: domainOfId(ctx, itemId), props: { replay: `test:${chosen}` } })),
      );
      // The engine reads the history just stored, by the one history rule, as it does to recommend.
      const rank = await ctx.client.call({ kind: 'rank', split: 'test', user: chosen });
      const target = ctx.positionOf.get(shopper.target)!;
      const counts = countDomains(ctx, shopper.history);
      clear(out);
      out.append(
        el('p', {}, el('strong', { text: `Test shopper ${chosen}` }), ` · ${rank.historyLength} past purchases (${counts}) loaded into your history.`),
        el('p', { id: 'replay-rank', 'data-user': chosen, 'data-full': String(rank.full), 'data-sampled': String(rank.sampled) },
          'Their real next purchase: ',
          el('button', { type: 'button', class: 'link', text: titleOf(ctx, target), onclick: () => ctx.viewItem(target) }),
          ` (${shopper.targetDomain}) ranks #${rank.full.toLocaleString()} of ${rank.domainSize.toLocaleString()} ${shopper.targetDomain} items`,
          ` and #${rank.sampled} of 1,000 on the protocol's sampled candidates (${ctx.model.active}).`,
          el('span', { class: rank.full <= 10 ? 'hit' : 'miss', text: rank.full <= 10 ? ' In the top 10: a hit.' : ' Not in the top 10.' }),
        ),
      );
    } catch (error) {
      clear(out);
      out.append(el('p', { class: 'error', role: 'alert', text: `Replay failed: ${(error as Error).message}` }));
    } finally {
      button.disabled = false;
    }
  });
  return el('section', { class: 'replay', 'aria-label': 'Replay a real shopper' },
    el('div', { class: 'replay-row' },
      button,
      el('label', { class: 'muted small' }, 'test shopper ', user),
      options,
      el('span', { class: 'muted small', text: `${users.length} shoppers from the test split; their last purchase is held out.` }),
    ),
    out,
  );
}

function domainOfId(ctx: AppContext, itemId: string): string {
  return ctx.catalog.domains[ctx.catalog.domainOf[ctx.positionOf.get(itemId)!]!]!;
}

function countDomains(ctx: AppContext, ids: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(domainOfId(ctx, id), (counts.get(domainOfId(ctx, id)) ?? 0) + 1);
  return [...counts].map(([d, n]) => `${n} ${d}`).join(', ');
}

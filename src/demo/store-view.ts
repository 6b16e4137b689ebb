import { clear, el } from './dom.ts';
import { domainName, titleOf, type AppContext } from './context.ts';
import { domainBadge, itemCard, itemVisual } from './item-card.ts';
import { replayPanel } from './replay.ts';

const PAGE_SIZE = 24;

/** Browse and search both domains, paginated; the item being viewed sits on top. */
export function storeView(ctx: AppContext): { root: HTMLElement; showItem(position: number): void } {
  let domain = -1;
  let page = 0;
  let results = ctx.search.search('', domain);
  const query = el('input', { type: 'search', id: 'search', placeholder: 'Search 36,298 products: "green tea", "skillet"…', 'aria-label': 'Search products', autocomplete: 'off' });
  const count = el('p', { class: 'muted', 'aria-live': 'polite', id: 'result-count' });
  const grid = el('div', { class: 'grid', id: 'grid' });
  const pager = el('nav', { class: 'pager', 'aria-label': 'Result pages' });
  const detail = el('section', { class: 'detail', id: 'detail', 'aria-label': 'Item being viewed', hidden: true });
  const tabs = el('div', { class: 'seg', role: 'radiogroup', 'aria-label': 'Domain' });
  const domainOptions: [number, string][] = [[-1, 'All'], ...ctx.catalog.domains.map((d, i): [number, string] => [i, d[0]!.toUpperCase() + d.slice(1)])];
  for (const [d, label] of domainOptions) {
    tabs.append(el('button', { type: 'button', role: 'radio', 'aria-checked': String(d === domain), 'data-domain': String(d), text: label, onclick: () => setDomain(d) }));
  }

  const run = (): void => {
    const t0 = performance.now();
    results = ctx.search.search(query.value, domain);
    const took = performance.now() - t0;
    page = 0;
    count.textContent = `${results.length.toLocaleString()} products${query.value.trim() ? ` match "${query.value.trim()}"` : ''} · searched in ${took.toFixed(1)} ms`;
    render();
  };
  const setDomain = (d: number): void => {
    domain = d;
    for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-checked', String(b.dataset.domain === String(d)));
    run();
  };
  const render = (): void => {
    clear(grid);
    const start = page * PAGE_SIZE;
    for (const p of results.subarray(start, start + PAGE_SIZE)) grid.append(itemCard(ctx, p));
    renderPager();
  };
  const renderPager = (): void => {
    clear(pager);
    const pages = Math.max(1, Math.ceil(results.length / PAGE_SIZE));
    const go = (p: number) => () => {
      page = Math.min(Math.max(p, 0), pages - 1);
      render();
      grid.scrollIntoView({ block: 'start', behavior: 'smooth' });
    };
    pager.append(
      el('button', { type: 'button', class: 'btn', text: '← Previous', disabled: page === 0, onclick: go(page - 1) }),
      el('span', { class: 'muted', text: `Page ${(page + 1).toLocaleString()} of ${pages.toLocaleString()}` }),
      el('button', { type: 'button', class: 'btn', text: 'Next →', disabled: page >= pages - 1, onclick: go(page + 1) }),
    );
  };
  let timer: number | undefined;
  query.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(run, 60);
  });

  const showItem = (position: number): void => {
    clear(detail);
    detail.hidden = false;
    const title = titleOf(ctx, position);
    detail.append(
      itemVisual(ctx, position),
      el('div', { class: 'detail-body' },
        el('p', { class: 'muted small', text: 'Now viewing' }),
        el('h2', { id: 'detail-title', text: title }),
        el('p', {}, domainBadge(domainName(ctx, position)), ` item ${ctx.catalog.ids[position]}`),
        el('button', { type: 'button', class: 'btn primary', text: 'Add to cart', onclick: () => ctx.addToCart(position) }),
      ),
    );
  };

  run();
  const root = el('section', { class: 'view', id: 'view-store', 'aria-labelledby': 'tab-store' },
    replayPanel(ctx),
    el('div', { class: 'toolbar' }, query, tabs),
    count,
    detail,
    grid,
    pager,
  );
  return { root, showItem };
}

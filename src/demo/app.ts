import { el } from './dom.ts';
import type { AppContext } from './context.ts';
import type { HafrecWorkerClient } from '../engine/hafrec-client.ts';
import type { CatalogSnapshot, ModelInfo } from '../engine/workbench/workbench-protocol.ts';
import type { ShopperHistory } from './history.ts';
import type { SearchIndex } from './search.ts';
import type { DemoSettings } from './settings.ts';
import { storeView } from './store-view.ts';
import { recsPanel } from './recs-panel.ts';
import { historyPanel } from './history-panel.ts';
import { insightsView } from './insights-view.ts';
import { settingsView } from './settings-view.ts';
import { trainView } from './train-view.ts';

export interface AppParts {
  /** The one engine's client, the tag's: recommendations as a shop gets them, and the workbench requests. */
  readonly client: HafrecWorkerClient;
  readonly catalog: CatalogSnapshot;
  readonly search: SearchIndex;
  readonly history: ShopperHistory;
  readonly settings: DemoSettings;
  readonly model: ModelInfo;
}

const VIEWS = ['store', 'insights', 'train', 'settings'] as const;
type View = (typeof VIEWS)[number];

/** Builds the shared context and every view, and routes between them by the URL hash. */
export function mountApp(root: HTMLElement, parts: AppParts): AppContext {
  const positionOf = new Map(parts.catalog.ids.map((id, p) => [id, p]));
  const domainSizes = parts.catalog.domains.map((_, d) => parts.catalog.domainOf.filter((x) => x === d).length);
  const toast = el('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
  const modelBadge = el('span', { class: 'model-badge', id: 'model-badge' });
  const cartCount = el('span', { class: 'cart', id: 'cart-count' });
  let store: ReturnType<typeof storeView> | undefined;
  let toastTimer: number | undefined;
  const ctx: AppContext = {
    ...parts,
    positionOf,
    domainSizes,
    viewItem(position) {
      store?.showItem(position);
      go('store');
      document.getElementById('detail')?.scrollIntoView({ block: 'nearest' });
      void record('view', position);
    },
    addToCart(position) {
      void record('add_to_cart', position);
    },
    refreshRecommendations: () => recs.update(),
    setModel(info) {
      ctx.model = info;
      modelBadge.textContent = `${info.active} · ${info.backend}`;
      recs.update();
    },
    notify(text) {
      toast.textContent = text;
      toast.classList.add('show');
      clearTimeout(toastTimer);
      toastTimer = window.setTimeout(() => toast.classList.remove('show'), 2500);
    },
  };
  const record = async (type: 'view' | 'add_to_cart', position: number): Promise<void> => {
    const id = parts.catalog.ids[position]!;
    const domain = parts.catalog.domains[parts.catalog.domainOf[position]!]!;
    const stored = await ctx.history.track(type, id, domain);
    if (!stored) ctx.notify('Not recorded: history is turned off in Settings → Privacy.');
    else if (type === 'add_to_cart') ctx.notify('Added to cart.');
  };

  const recs = recsPanel(ctx);
  const hist = historyPanel(ctx);
  store = storeView(ctx);
  const insights = insightsView(ctx);
  recs.onResult((perDomain) => insights.showTransfer(perDomain));
  const views: Record<View, HTMLElement> = {
    store: el('div', { class: 'store-layout', id: 'view-store-wrap' }, store.root, el('div', { class: 'side' }, recs.root, hist.root)),
    insights: insights.root,
    train: trainView(ctx),
    settings: settingsView(ctx),
  };
  const tabs = el('nav', { class: 'tabs', 'aria-label': 'Views' });
  for (const v of VIEWS) {
    tabs.append(el('a', { href: `#${v}`, id: `tab-${v}`, text: v[0]!.toUpperCase() + v.slice(1) }));
  }
  const go = (view: View): void => {
    if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
    for (const v of VIEWS) {
      views[v].hidden = v !== view;
      document.getElementById(`tab-${v}`)!.toggleAttribute('aria-current', v === view);
    }
    document.body.dataset.view = view;
  };
  const route = (): void => go((VIEWS as readonly string[]).includes(location.hash.slice(1)) ? (location.hash.slice(1) as View) : 'store');

  const updateAll = (): void => {
    const carts = ctx.history.events.filter((e) => e.type === 'add_to_cart').length;
    cartCount.textContent = `Cart: ${carts}`;
    cartCount.setAttribute('aria-label', `${carts} items added to cart`);
    hist.update();
    recs.update();
  };
  ctx.history.onChange(updateAll);

  root.replaceChildren(
    el('header', { class: 'top' },
      el('h1', {}, el('a', { href: '#store', text: 'hafrec' }), el('span', { class: 'muted small', text: ' private recommendations, in your browser' })),
      tabs, el('div', { class: 'top-right' }, modelBadge, cartCount)),
    el('main', { id: 'main' }, ...VIEWS.map((v) => views[v])),
    toast,
  );
  window.addEventListener('hashchange', route);
  route();
  ctx.setModel(parts.model);
  updateAll();
  return ctx;
}

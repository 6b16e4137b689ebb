import type { EventType } from '../store/event.ts';
import type { RecommendedItem } from '../engine/recommend-service.ts';
import type { HafrecApi } from './api.ts';
import { adoptStyles } from './widget-styles.ts';

const VERB: Record<EventType, string> = {
  view: 'viewed', click: 'viewed', remove_from_cart: 'looked at', rate: 'rated',
  wishlist: 'saved', add_to_cart: 'added', purchase: 'bought',
};
const MAX_COUNT = 24;
const REFRESH_DELAY_MS = 150;

/**
 * "Because you viewed X", plus HAF's attention when the model reads it ("Because you viewed X
 * (attention 62%, kitchen history 55%)"): built with textContent only, so catalog text is never markup.
 */
export function reasonText(item: RecommendedItem): string | undefined {
  const reason = item.reason;
  if (!reason) return undefined;
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const parts = [
    ...(reason.attention === undefined ? [] : [`attention ${pct(reason.attention)}`]),
    ...(reason.domain === undefined ? [] : [`${reason.domain} history${reason.domainWeight === undefined ? '' : ` ${pct(reason.domainWeight)}`}`]),
  ];
  return `Because you ${VERB[reason.type] ?? 'viewed'} ${reason.title ?? reason.itemId}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.setAttribute('part', className);
  if (text !== undefined) node.textContent = text;
  return node;
}

function card(item: RecommendedItem): HTMLLIElement {
  const li = el('li', 'card');
  li.dataset.itemId = item.id;
  const link = el('a', 'link');
  if (item.url) link.href = item.url;
  const title = item.title ?? item.id;
  if (item.image) {
    const img = el('img', 'image');
    img.alt = '';
    img.loading = 'lazy';
    img.src = item.image;
    link.append(img);
  } else {
    li.classList.add('text-card');
  }
  link.append(el('span', 'title', title));
  if (item.price !== undefined) link.append(el('span', 'price', item.price.toFixed(2)));
  li.append(link);
  const reason = reasonText(item);
  if (reason) {
    const p = el('p', 'reason', reason);
    p.title = reason;
    li.append(p);
  }
  return li;
}

/**
 * `<hafrec-recommendations domain="kitchen" count="4" heading="...">`: recommendations in a
 * Shadow DOM, refreshed when the shopper's history changes in this tab or another one.
 * `data-state` on the element is loading | ready | empty | error (hidden when empty or on
 * error; `data-error` then names the error, e.g. StoreVersionError); a `hafrec:render` event
 * (detail: the items) fires after each render.
 */
export function defineWidget(api: HafrecApi): void {
  if (customElements.get('hafrec-recommendations')) return;
  customElements.define('hafrec-recommendations', class HafrecRecommendations extends HTMLElement {
    static observedAttributes = ['domain', 'count', 'heading'];
    private readonly root = this.attachShadow({ mode: 'open' });
    private unsubscribe: (() => void) | undefined;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private generation = 0;
    private refreshedAt = -Infinity;

    constructor() {
      super();
      adoptStyles(this.root);
    }

    connectedCallback(): void {
      this.unsubscribe ??= api.onChange(() => this.schedule());
      this.schedule(0);
    }

    disconnectedCallback(): void {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      clearTimeout(this.timer);
      this.timer = undefined;
    }

    attributeChangedCallback(): void {
      if (this.isConnected) this.schedule(0);
    }

    /**
     * A history change after a quiet spell refreshes at once (event to widget in one
     * recommendation); changes within REFRESH_DELAY_MS of the last refresh are coalesced.
     */
    private schedule(delay?: number): void {
      const quiet = this.timer === undefined && performance.now() - this.refreshedAt >= REFRESH_DELAY_MS;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.refreshedAt = performance.now();
        void this.refresh();
      }, delay ?? (quiet ? 0 : REFRESH_DELAY_MS));
    }

    private async refresh(): Promise<void> {
      const generation = ++this.generation;
      const count = Math.min(MAX_COUNT, Math.max(1, Math.floor(Number(this.getAttribute('count') ?? 4)) || 4));
      if (!this.dataset.state) this.dataset.state = 'loading';
      this.setAttribute('aria-busy', 'true');
      try {
        const items = await api.recommend(this.getAttribute('domain') ?? undefined, count);
        if (generation === this.generation) this.render(items);
      } catch (error) {
        if (generation !== this.generation) return;
        this.dataset.state = 'error';
        this.dataset.error = error instanceof Error ? error.name : 'Error';
        this.removeAttribute('aria-busy');
        // The tag already reported unusable storage once; other failures are reported here.
        if (error !== api.error) console.warn('hafrec-recommendations:', error);
      }
    }

    private render(items: readonly RecommendedItem[]): void {
      const heading = this.getAttribute('heading') ?? 'Recommended for you';
      const section = el('section', 'container');
      if (heading) section.append(el('h2', 'heading', heading));
      const list = el('ul', 'list');
      list.append(...items.map(card));
      section.append(list);
      this.root.replaceChildren(section);
      this.dataset.state = items.length > 0 ? 'ready' : 'empty';
      delete this.dataset.error;
      this.removeAttribute('aria-busy');
      this.dispatchEvent(new CustomEvent('hafrec:render', { detail: items, bubbles: true, composed: true }));
    }
  });
}

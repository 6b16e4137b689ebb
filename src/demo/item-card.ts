import { el } from './dom.ts';
import { domainName, titleOf, type AppContext } from './context.ts';

/** Two letters that stand in for a missing photo, e.g. "Green Tea Bags" -> "GT". */
export function initials(title: string): string {
  const words = title.match(/[\p{L}\p{N}]+/gu) ?? [];
  return (words.slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?');
}

/** The picture of an item: its image when the catalog has one, else a clear text card. */
export function itemVisual(ctx: AppContext, position: number, size: 'small' | 'large' = 'large'): HTMLElement {
  const title = titleOf(ctx, position);
  const domain = domainName(ctx, position);
  const image = ctx.catalog.images[position];
  if (image) {
    return el('img', { class: `visual visual-${size}`, src: image, alt: title, loading: 'lazy', decoding: 'async' });
  }
  return el(
    'div',
    { class: `visual visual-${size} text-visual domain-${domain}`, role: 'img', 'aria-label': `${domain} item without photo` },
    el('span', { class: 'initials', text: initials(title) }),
    el('span', { class: 'no-photo', text: 'no photo' }),
  );
}

export function domainBadge(domain: string): HTMLElement {
  return el('span', { class: `badge domain-${domain}`, text: domain });
}

export function itemCard(ctx: AppContext, position: number): HTMLElement {
  const title = titleOf(ctx, position);
  const id = ctx.catalog.ids[position]!;
  return el(
    'article',
    { class: 'card', 'data-item': id },
    itemVisual(ctx, position),
    el('div', { class: 'card-body' },
      domainBadge(domainName(ctx, position)),
      el('h3', { class: 'card-title', text: title, title }),
      el('p', { class: 'muted small', text: `item ${id} · bought ${ctx.catalog.popularity[position]!.toLocaleString()}× in training` }),
    ),
    el('div', { class: 'card-actions' },
      el('button', { type: 'button', class: 'btn', text: 'View', 'aria-label': `View ${title}`, onclick: () => ctx.viewItem(position) }),
      el('button', { type: 'button', class: 'btn primary', text: 'Add to cart', 'aria-label': `Add ${title} to cart`, onclick: () => ctx.addToCart(position) }),
    ),
  );
}

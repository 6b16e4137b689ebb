import type { Catalog, Item } from '../../src/catalog/types.ts';
import { escapeHtml } from '../../src/bundle/bundle-snippet.ts';

/** Strict CSP of every fixture page: no inline script, no eval, no inline style. */
export const SHOP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";


const DOMAIN_LABEL: Record<string, string> = { food: 'Food', kitchen: 'Kitchen' };
const label = (domain: string) => DOMAIN_LABEL[domain] ?? domain;

interface PageSpec {
  /** '' at the shop root, '../' one level down. */
  readonly up: string;
  readonly title: string;
  readonly domain: string;
  readonly body: string;
  readonly itemId?: string;
  /** Start the tag's worker at once (the product template adds its widgets after reading the catalog). */
  readonly preload?: boolean;
}

/** One page with the tag pasted the way a store owner would: the queue in the shop's own script, then the async tag. */
function page(spec: PageSpec): string {
  const item = spec.itemId ? ` data-item-id="${escapeHtml(spec.itemId)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${SHOP_CSP}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(spec.title)} · Pantry &amp; Pan</title>
  <link rel="stylesheet" href="${spec.up}shop.css">
</head>
<body data-domain="${escapeHtml(spec.domain)}"${item}>
  <header>
    <a class="brand" href="${spec.up}index.html">Pantry &amp; Pan</a>
    <nav><a href="${spec.up}food.html">Food</a> <a href="${spec.up}kitchen.html">Kitchen</a> <a href="${spec.up}privacy.html">Your data</a></nav>
  </header>
  <main>
${spec.body}
  </main>
  <script src="${spec.up}shop.js"></script>
  <script async src="${spec.up}../embed.js" data-catalog="${spec.up}catalog.json" data-model="${spec.up}model.json" data-domain="${escapeHtml(spec.domain)}"${spec.preload ? ' data-preload' : ''}></script>
</body>
</html>
`;
}

const widget = (domain: string, count: number, heading: string) =>
  `    <hafrec-recommendations domain="${domain}" count="${count}" heading="${escapeHtml(heading)}"></hafrec-recommendations>`;

function productList(items: readonly Item[], up: string): string {
  const rows = items.map((item) => `      <li><a href="${up}${escapeHtml(item.url!)}">${escapeHtml(item.title!)}</a></li>`);
  return `    <ul class="products">\n${rows.join('\n')}\n    </ul>`;
}

export function homePage(catalog: Catalog): string {
  const body = [
    '    <h1>Pantry &amp; Pan</h1>',
    '    <p>Groceries and kitchenware. Recommendations are computed in your browser; your history never leaves it.</p>',
    ...catalog.domains.map((d) => widget(d, 4, `${label(d)} picks for you`)),
  ].join('\n');
  return page({ up: '', title: 'Home', domain: catalog.domains[0]!, body });
}

/** A domain's page: its widget and a list of `listed` items (the whole domain when omitted). */
export function domainPage(catalog: Catalog, domain: string, listed?: readonly Item[]): string {
  const items = (listed ?? catalog.items).filter((item) => item.domain === domain);
  const body = [`    <h1>${escapeHtml(label(domain))}</h1>`, widget(domain, 4, `Recommended ${label(domain).toLowerCase()}`), productList(items, '')].join('\n');
  return page({ up: '', title: label(domain), domain, body });
}

/**
 * The one product page of the whole catalog (`product.html?id=<id>`): shop.js reads the id,
 * looks the item up in catalog.json, fills in the title, the add-to-cart button and two
 * widgets (the item's own domain and another), and tracks the view.
 */
export function productTemplatePage(catalog: Catalog): string {
  const body = [
    `    <article class="product" id="product" data-catalog="catalog.json" data-domains="${escapeHtml(catalog.domains.join(','))}">`,
    `      <h1 id="product-title">Loading…</h1>`,
    `      <p class="sku" id="product-sku"></p>`,
    `      <button type="button" id="add-to-cart" hidden>Add to cart</button>`,
    `    </article>`,
    `    <div id="product-widgets"></div>`,
  ].join('\n');
  return page({ up: '', title: 'Product', domain: catalog.domains[0]!, body, preload: true });
}

export function privacyPage(catalog: Catalog): string {
  const body = `    <h1>Your data</h1>
    <p>Your browsing history on this shop is stored only in this browser (IndexedDB) and is used only here, to recommend products.</p>
    <p>
      <button type="button" id="export-history">Download my history</button>
      <button type="button" id="forget-history">Delete my history</button>
      <button type="button" id="consent-off">Stop personalizing</button>
      <button type="button" id="consent-on">Personalize again</button>
    </p>
    <p id="privacy-status" role="status"></p>`;
  return page({ up: '', title: 'Your data', domain: catalog.domains[0]!, body });
}

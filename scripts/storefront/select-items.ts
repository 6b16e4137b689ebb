import type { Catalog, Dataset, Item, Sequence } from '../../src/catalog/types.ts';
import { createCatalog } from '../../src/catalog/catalog.ts';
import { productUrl } from './export-store.ts';
import type { TransitionTable } from '../../src/eval/baselines/cooccurrence.ts';

/**
 * The fixture shop's items: the `perDomain` items of each domain that shoppers with mixed
 * (food and kitchen) histories interacted with most, so that cross-domain transitions exist.
 */
export function selectShopItems(dataset: Dataset, perDomain: number): number[] {
  const counts = new Float64Array(dataset.catalog.size + 1);
  for (const seq of dataset.train) {
    if (!seq.user.startsWith('both:')) continue;
    for (const item of seq.items) counts[item]! += 1;
  }
  return dataset.catalog.domains.flatMap((_, d) =>
    [...dataset.catalog.domainItems[d]!]
      .filter((i) => dataset.catalog.item(i).title !== undefined)
      .sort((a, b) => counts[b]! - counts[a]! || a - b)
      .slice(0, perDomain)
      .sort((a, b) => a - b),
  );
}

/** A storefront catalog of `chosen` full-catalog indices, with product page URLs. */
export function shopCatalog(full: Catalog, chosen: readonly number[]): Catalog {
  const items: Item[] = chosen.map((i) => {
    const item = full.item(i);
    return { id: item.id, domain: item.domain, title: decodeEntities(item.title ?? `Item ${item.id}`), url: productUrl(item.id), ...(item.sku ? { sku: item.sku } : {}) };
  });
  return createCatalog('hafrec-shop', items);
}

/** Rows and targets of `table` (full indices) restricted to the shop's items, re-indexed to `shop`. */
export function restrictTable(table: TransitionTable, full: Catalog, shop: Catalog): TransitionTable {
  const toShop = new Int32Array(full.size + 1);
  shop.items.forEach((item, p) => (toShop[full.indexOf(item.id)] = p + 1));
  const rows: [number, number][][] = shop.items.map((item) => {
    const src = full.indexOf(item.id);
    const row: [number, number][] = [];
    for (let e = table.offsets[src]!; e < table.offsets[src + 1]!; e++) {
      const dst = toShop[table.targets[e]!]!;
      if (dst > 0) row.push([dst, table.weights[e]!]);
    }
    return row.sort((a, b) => a[0] - b[0]);
  });
  const offsets = new Uint32Array(shop.size + 2);
  rows.forEach((row, p) => (offsets[p + 2] = offsets[p + 1]! + row.length));
  const flat = rows.flat();
  return { offsets, targets: Int32Array.from(flat, (e) => e[0]), weights: Float32Array.from(flat, (e) => e[1]) };
}

/** Training occurrences of the shop's items (index 0 unused). */
export function restrictCounts(counts: Float64Array, full: Catalog, shop: Catalog): Float64Array {
  return Float64Array.from({ length: shop.size + 1 }, (_, s) => (s === 0 ? 0 : counts[full.indexOf(shop.id(s))]!));
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: ' ' };

/** Review-site titles carry HTML entities ("Ginger &amp; Lemon"); a shop catalog holds plain text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|[a-z]+);/g, (whole, name: string) =>
    name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? whole),
  );
}

export type { Sequence };

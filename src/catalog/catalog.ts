import type { Catalog, Item } from './types.ts';
import { CatalogBuilder } from './catalog-builder.ts';
import { UnknownDomainError } from './errors.ts';

/**
 * Indexes validated items into a Catalog. Items keep their order: the item at position p
 * gets internal index p + 1. `source` names the file or URL in error messages. Domains are
 * numbered in first-seen order, or, when `declared` is given (a dataset manifest's list),
 * in that order: then an item of another domain, or a declared domain without items, is an error.
 * The catalog keeps columns, not `items` (catalog-builder.ts): the caller's array can go.
 */
export function createCatalog(name: string, items: readonly Item[], source = name, declared?: readonly string[]): Catalog {
  const builder = new CatalogBuilder(name, items.length, source, declared);
  for (const item of items) builder.add(item);
  return builder.finish();
}

/** Every item's external id in index order (what bundles and feature files list), without making item records. */
export function catalogIds(catalog: Catalog): string[] {
  return Array.from({ length: catalog.size }, (_, p) => catalog.id(p + 1));
}

const positions = new WeakMap<Catalog, Int32Array>();

/**
 * [size + 1] each item's position within its own domain's item list (-1 for padding): what
 * turns a whole-domain score array back into an item's score. Computed once per catalog and
 * shared (read-only), since every whole-domain scorer of a catalog needs the same index.
 */
export function domainPositions(catalog: Catalog): Int32Array {
  let position = positions.get(catalog);
  if (!position) {
    position = new Int32Array(catalog.size + 1).fill(-1);
    for (const items of catalog.domainItems) items.forEach((item, k) => (position![item] = k));
    positions.set(catalog, position);
  }
  return position;
}

/** Internal indices of a domain by number; an unknown number is a typed error listing the valid ones. */
export function domainItemsOf(catalog: Catalog, domain: number): Int32Array {
  const items = catalog.domainItems[domain];
  if (!items) {
    throw new UnknownDomainError(String(domain), catalog.domains.map((name, d) => `${d} (${name})`));
  }
  return items;
}

import type { Catalog, Item } from './types.ts';
import { DataFormatError, UnknownDomainError, UnknownItemError } from './errors.ts';

/**
 * Indexes validated items into a Catalog. Items keep their order: the item at position p
 * gets internal index p + 1. `source` names the file or URL in error messages. Domains are
 * numbered in first-seen order, or, when `declared` is given (a dataset manifest's list),
 * in that order: then an item of another domain, or a declared domain without items, is an error.
 */
export function createCatalog(name: string, items: readonly Item[], source = name, declared?: readonly string[]): Catalog {
  const domains: string[] = [...(declared ?? [])];
  const domainNumber = new Map<string, number>(domains.map((d, k) => [d, k]));
  const byId = new Map<string, number>();
  const domainOf = new Int32Array(items.length + 1);
  domainOf[0] = -1;
  const perDomain: number[][] = domains.map(() => []);
  items.forEach((item, p) => {
    const index = p + 1;
    if (byId.has(item.id)) {
      throw new DataFormatError(source, p + 1, `duplicate item id "${item.id}" (first seen as item ${byId.get(item.id)})`);
    }
    byId.set(item.id, index);
    let d = domainNumber.get(item.domain);
    if (d === undefined && declared) {
      throw new DataFormatError(source, p + 1, `unknown domain "${item.domain}": valid domains are ${declared.join(', ')}`);
    }
    if (d === undefined) {
      d = domains.length;
      domains.push(item.domain);
      domainNumber.set(item.domain, d);
      perDomain.push([]);
    }
    domainOf[index] = d;
    perDomain[d]!.push(index);
  });
  const empty = domains.findIndex((_, d) => perDomain[d]!.length === 0);
  if (empty >= 0) throw new DataFormatError(source, 0, `domain "${domains[empty]}" is declared but has no items`);
  const size = items.length;
  return {
    name,
    domains,
    items,
    size,
    domainOf,
    domainItems: perDomain.map((list) => Int32Array.from(list)),
    indexOf(id: string): number {
      const index = byId.get(id);
      if (index === undefined) throw new UnknownItemError(id, size);
      return index;
    },
    findIndex: (id: string) => byId.get(id),
    item(index: number): Item {
      const item = Number.isInteger(index) && index >= 1 ? items[index - 1] : undefined;
      if (!item) throw new UnknownItemError(index, size);
      return item;
    },
    domainIndex(domain: string): number {
      const d = domainNumber.get(domain);
      if (d === undefined) throw new UnknownDomainError(domain, domains);
      return d;
    },
  };
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

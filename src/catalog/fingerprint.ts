import type { Catalog } from './types.ts';

/**
 * The one way hafrec identifies a catalog's contents: FNV-1a in two 32-bit lanes (16 hex
 * characters) over one line per item, in index order, of the chosen fields joined by tabs.
 * Weights and feature files carry the id + domain hash (they fit a catalog with exactly these
 * items in this order); caches of text features key on the text fields too. Synchronous and
 * identical in Node and browsers.
 */
export const ID_FIELDS = ['id', 'domain'] as const;
export const TEXT_FIELDS = ['id', 'domain', 'title', 'description'] as const;
export type FingerprintField = (typeof TEXT_FIELDS)[number];

export function itemsHash(catalog: Catalog, fields: readonly FingerprintField[] = ID_FIELDS): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 1; i <= catalog.size; i++) {
    const item = catalog.item(i);
    const line = `${fields.map((f) => item[f] ?? '').join('\t')}\n`;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c, 0x0100019d) >>> 0;
    }
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** What a file made for a catalog records of it, and checks against the catalog it is loaded with. */
export interface CatalogFingerprint {
  readonly name: string;
  readonly size: number;
  readonly domains: readonly string[];
  /** itemsHash over id and domain. */
  readonly idHash: string;
}

export function catalogFingerprint(catalog: Catalog): CatalogFingerprint {
  return { name: catalog.name, size: catalog.size, domains: [...catalog.domains], idHash: itemsHash(catalog, ID_FIELDS) };
}

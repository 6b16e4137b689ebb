import type { Catalog, Item } from './types.ts';
import { CatalogBuilder } from './catalog-builder.ts';
import { DataFormatError } from './errors.ts';

const STRING_FIELDS = ['title', 'description', 'image', 'url', 'sku'] as const;
const KNOWN_FIELDS = new Set(['id', 'domain', 'price', ...STRING_FIELDS]);

/**
 * Validates a storefront catalog given as JSON: an array (or `{ items: [...] }`) of
 * `{ id, domain, title?, description?, image?, url?, price?, sku? }`, any number of domains.
 * Errors name the entry (1-based, reported as the line) and the field.
 */
export function parseCatalogJson(json: unknown, name: string, source = name): Catalog {
  const list = Array.isArray(json) ? json : (json as { items?: unknown } | null)?.items;
  if (!Array.isArray(list)) {
    throw new DataFormatError(source, 0, 'a catalog must be a JSON array of items or an object with an "items" array');
  }
  if (list.length === 0) throw new DataFormatError(source, 0, 'the catalog has no items');
  // Entry by entry into the catalog's columns: no array of a million item records is made.
  const builder = new CatalogBuilder(name, list.length, source);
  for (let p = 0; p < list.length; p++) builder.add(parseEntry(list[p], p + 1, source));
  return builder.finish();
}

// Called for every entry of a million-item catalog: no closure per entry.
function fail(source: string, n: number, problem: string): never {
  throw new DataFormatError(source, n, `item #${n}: ${problem}`);
}

function parseEntry(entry: unknown, n: number, source: string): Item {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(source, n, 'must be an object');
  const raw = entry as Record<string, unknown>;
  const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : raw.id;
  if (typeof id !== 'string' || id.trim() === '') fail(source, n, '"id" must be a non-empty string or a number');
  if (typeof raw.domain !== 'string' || raw.domain.trim() === '') fail(source, n, '"domain" must be a non-empty string');
  const item: Record<string, unknown> = { id, domain: (raw.domain as string).trim() };
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') fail(source, n, `"${field}" must be a string when present`);
    if ((value as string).trim() !== '') item[field] = value;
  }
  if (raw.price !== undefined && raw.price !== null) {
    if (typeof raw.price !== 'number' || !Number.isFinite(raw.price) || raw.price < 0) {
      fail(source, n, '"price" must be a non-negative finite number when present');
    }
    item.price = raw.price;
  }
  for (const key in raw) if (!KNOWN_FIELDS.has(key)) reportUnknown(raw, source, n);
  return item as unknown as Item;
}

function reportUnknown(raw: Record<string, unknown>, source: string, n: number): never {
  const unknown = Object.keys(raw).filter((k) => !KNOWN_FIELDS.has(k));
  return fail(source, n, `unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; valid fields are ${[...KNOWN_FIELDS].join(', ')}`);
}

import type { Catalog, Dataset, EvalCase, Item, Sequence, TrainingData } from './types.ts';
import { createCatalog } from './catalog.ts';
import { DataFormatError } from './errors.ts';
import { checksumName, negativesFor, type DatasetManifest, type DatasetTexts, type TrainingFile } from './dataset-manifest.ts';
import { parseTsv, type TsvRow } from './tsv.ts';

/**
 * Columns `items.tsv` may have, in any order. `item` (dense id, 0-based and consecutive) and
 * `domain` are required; `id` is the store's own id (default: the dense id); `asin` is the
 * Food-Kitchen name of `sku`.
 */
export const ITEM_COLUMNS = ['item', 'domain', 'id', 'sku', 'asin', 'title', 'description', 'image', 'url', 'price'] as const;
type ItemColumn = (typeof ITEM_COLUMNS)[number];
const TEXT_COLUMNS = ['sku', 'title', 'description', 'image', 'url'] as const;

/** Parses and validates every row of a dataset's six files (internal index = dense id + 1). */
export function parseDataset(manifest: DatasetManifest, texts: DatasetTexts): Dataset {
  const data = parseTrainingData(manifest, texts);
  const name = (role: keyof DatasetTexts): string => checksumName(manifest.files[role]);
  const test = parseEvalSplit(name('test'), texts.test, name('test_negatives'), texts.test_negatives, data.catalog, manifest);
  return { ...data, test };
}

/** What training reads: items, train, valid and valid negatives (never the test files). */
export function parseTrainingData(manifest: DatasetManifest, texts: Pick<DatasetTexts, TrainingFile>): TrainingData {
  const name = (role: TrainingFile): string => checksumName(manifest.files[role]);
  const catalog = parseDatasetItems(manifest, texts.items);
  const train = parseSequences(name('train'), texts.train, catalog, 1);
  const valid = parseEvalSplit(name('valid'), texts.valid, name('valid_negatives'), texts.valid_negatives, catalog, manifest);
  return { name: manifest.name, catalog, train, valid };
}

function itemHeader(file: string, text: string): ItemColumn[] {
  const header = text.slice(0, text.indexOf('\n') >>> 0).replace(/\r$/, '').split('\t');
  for (const column of header) {
    if (!(ITEM_COLUMNS as readonly string[]).includes(column)) {
      throw new DataFormatError(file, 1, `unknown column "${column}"; valid columns are ${ITEM_COLUMNS.join(', ')} (item and domain required)`);
    }
  }
  for (const required of ['item', 'domain']) {
    if (!header.includes(required)) throw new DataFormatError(file, 1, `the header needs an "${required}" column; found ${header.join(', ')}`);
  }
  if (header.includes('sku') && header.includes('asin')) throw new DataFormatError(file, 1, 'give "sku" or "asin" (its Food-Kitchen name), not both');
  if (new Set(header).size !== header.length) throw new DataFormatError(file, 1, 'a column is named twice');
  return header as ItemColumn[];
}

/** The catalog of a dataset from its items file alone. */
export function parseDatasetItems(manifest: DatasetManifest, text: string): Catalog {
  const file = checksumName(manifest.files.items);
  const columns = itemHeader(file, text);
  const rows = parseTsv(file, text, columns);
  const items: Item[] = rows.map(({ line, fields }, p) => {
    const cell = (column: ItemColumn): string => fields[columns.indexOf(column)] ?? '';
    if (cell('item') !== String(p)) {
      throw new DataFormatError(file, line, `item id must be ${p} (ids are 0-based and consecutive), found "${cell('item')}"`);
    }
    const domain = cell('domain');
    if (!manifest.domains.includes(domain)) {
      throw new DataFormatError(file, line, `unknown domain "${domain}": valid domains are ${manifest.domains.join(', ')}`);
    }
    const item: { -readonly [K in keyof Item]: Item[K] } = { id: columns.includes('id') ? cell('id') : String(p), domain };
    if (item.id === '') throw new DataFormatError(file, line, 'empty store id in column "id"');
    for (const column of TEXT_COLUMNS) {
      const value = column === 'sku' && columns.includes('asin') ? cell('asin') : cell(column);
      if (value.trim() !== '') item[column] = value;
    }
    const price = cell('price');
    if (price !== '') item.price = parsePrice(file, line, price);
    return item;
  });
  return createCatalog(manifest.name, items, file, manifest.domains);
}

function parsePrice(file: string, line: number, text: string): number {
  const price = Number(text);
  if (!Number.isFinite(price) || price < 0) throw new DataFormatError(file, line, `price "${text}" must be empty or a non-negative number`);
  return price;
}

/**
 * Comma-separated dense ids -> internal indices. A char-code loop: negatives files hold
 * ~1000 ids a row and a store's dataset may have 100k rows. Any irregularity falls back to
 * the slow path, which names the bad part.
 */
function parseItemList(file: string, line: number, field: string, catalog: Catalog, minLength: number): Int32Array {
  const fast = fastIdList(field, catalog.size);
  if (fast && fast.length >= minLength) return fast;
  const parts = field === '' ? [] : field.split(',');
  if (parts.length < minLength) {
    throw new DataFormatError(file, line, `needs at least ${minLength} item id(s), found ${parts.length}`);
  }
  const out = new Int32Array(parts.length);
  parts.forEach((part, k) => {
    const id = /^\d+$/.test(part) ? Number(part) : NaN;
    if (!(id >= 0 && id < catalog.size)) {
      throw new DataFormatError(file, line, `item id "${part}" is not an integer in 0..${catalog.size - 1}`);
    }
    out[k] = id + 1;
  });
  return out;
}

/** The ids of a well-formed list (digits and single commas, every id < size), or undefined. */
function fastIdList(field: string, size: number): Int32Array | undefined {
  if (field === '') return new Int32Array(0);
  let count = 1;
  for (let c = 0; c < field.length; c++) if (field.charCodeAt(c) === 44) count++;
  const out = new Int32Array(count);
  let k = 0;
  let value = 0;
  let digits = 0;
  for (let c = 0; c <= field.length; c++) {
    const code = c === field.length ? 44 : field.charCodeAt(c);
    if (code === 44) {
      if (digits === 0 || value >= size) return undefined;
      out[k++] = value + 1;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
      if (digits > 10) return undefined;
    } else {
      return undefined;
    }
  }
  return out;
}

function parseSequences(file: string, text: string, catalog: Catalog, minLength: number): Sequence[] {
  const seen = new Set<string>();
  return parseTsv(file, text, ['user', 'items']).map(({ line, fields }) => {
    const [user, items] = fields as [string, string];
    if (user === '') throw new DataFormatError(file, line, 'empty user name');
    if (seen.has(user)) throw new DataFormatError(file, line, `duplicate user "${user}"`);
    seen.add(user);
    return { user, items: parseItemList(file, line, items, catalog, minLength) };
  });
}

function parseEvalSplit(file: string, text: string, negFile: string, negText: string, catalog: Catalog, manifest: DatasetManifest): EvalCase[] {
  const sequences = parseSequences(file, text, catalog, 2);
  const negRows = new Map<string, TsvRow>();
  for (const row of parseTsv(negFile, negText, ['user', 'negatives'])) negRows.set(row.fields[0]!, row);
  return sequences.map(({ user, items }) => {
    const target = items[items.length - 1]!;
    const domain = catalog.domainOf[target]!;
    const row = negRows.get(user);
    if (!row) throw new DataFormatError(negFile, 0, `no negatives line for user "${user}" of ${file}`);
    const expected = negativesFor(manifest, catalog.domainItems[domain]!.length);
    const negatives = parseItemList(negFile, row.line, row.fields[1]!, catalog, Math.min(1, expected));
    checkNegatives(negFile, row.line, negatives, target, domain, catalog, expected);
    return { user, history: items.subarray(0, items.length - 1), target, domain, negatives };
  });
}

function checkNegatives(file: string, line: number, negatives: Int32Array, target: number, domain: number, catalog: Catalog, expected: number): void {
  if (negatives.length !== expected) {
    throw new DataFormatError(
      file,
      line,
      `expected exactly ${expected} negatives (the manifest's ${expected === catalog.domainItems[domain]!.length - 1 ? 'domain size - 1' : 'negatives'} for domain "${catalog.domains[domain]}"), found ${negatives.length}`,
    );
  }
  const unique = new Set<number>();
  for (const n of negatives) {
    if (n === target) throw new DataFormatError(file, line, `negative ${n - 1} is the target itself`);
    if (catalog.domainOf[n] !== domain) {
      throw new DataFormatError(file, line, `negative ${n - 1} is not in the target's domain "${catalog.domains[domain]}"`);
    }
    unique.add(n);
  }
  if (unique.size !== negatives.length) throw new DataFormatError(file, line, 'negatives contain duplicates');
}

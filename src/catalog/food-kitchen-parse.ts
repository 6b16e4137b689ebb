import type { Catalog, Dataset, EvalCase, Item, Sequence } from './types.ts';
import { createCatalog } from './catalog.ts';
import { DataFormatError } from './errors.ts';
import { parseTsv, type TsvRow } from './tsv.ts';

/** The files of a Food-Kitchen-format dataset, by name, without the `.tsv` suffix. */
export const DATASET_FILES = ['items', 'train', 'valid', 'test', 'valid_negatives', 'test_negatives'] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];
export type DatasetTexts = Readonly<Record<DatasetFile, string>>;

const DOMAINS = ['food', 'kitchen'] as const;
const NEGATIVES_PER_CASE = 999;

/** Parses and validates every row of the six files into a Dataset (internal index = id + 1). */
export function parseFoodKitchen(texts: DatasetTexts, name = 'food-kitchen'): Dataset {
  const catalog = parseItems(texts.items, name);
  const train = parseSequences('train.tsv', texts.train, catalog, 1);
  const valid = parseEvalSplit('valid', texts, catalog);
  const test = parseEvalSplit('test', texts, catalog);
  return { name, catalog, train, valid, test };
}

function parseItems(text: string, name: string): Catalog {
  const rows = parseTsv('items.tsv', text, ['item', 'domain', 'asin', 'title']);
  const items: Item[] = rows.map(({ line, fields }, p) => {
    const [id, domain, asin, title] = fields as [string, string, string, string];
    if (id !== String(p)) {
      throw new DataFormatError('items.tsv', line, `item id must be ${p} (ids are 0-based and consecutive), found "${id}"`);
    }
    if (!(DOMAINS as readonly string[]).includes(domain)) {
      throw new DataFormatError('items.tsv', line, `unknown domain "${domain}": valid domains are ${DOMAINS.join(', ')}`);
    }
    const item: { -readonly [K in keyof Item]: Item[K] } = { id, domain };
    if (asin !== '') item.sku = asin;
    if (title.trim() !== '') item.title = title;
    return item;
  });
  return createCatalog(name, items, 'items.tsv');
}

function parseItemList(file: string, line: number, field: string, catalog: Catalog, minLength: number): Int32Array {
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

function parseEvalSplit(split: 'valid' | 'test', texts: DatasetTexts, catalog: Catalog): EvalCase[] {
  const file = `${split}.tsv`;
  const sequences = parseSequences(file, texts[split], catalog, 2);
  const negFile = `${split}_negatives.tsv`;
  const negRows = new Map<string, TsvRow>();
  for (const row of parseTsv(negFile, texts[`${split}_negatives`], ['user', 'negatives'])) {
    negRows.set(row.fields[0]!, row);
  }
  return sequences.map(({ user, items }) => {
    const target = items[items.length - 1]!;
    const domain = catalog.domainOf[target]!;
    const row = negRows.get(user);
    if (!row) throw new DataFormatError(negFile, 0, `no negatives line for user "${user}" of ${file}`);
    const negatives = parseItemList(negFile, row.line, row.fields[1]!, catalog, NEGATIVES_PER_CASE);
    checkNegatives(negFile, row.line, negatives, target, domain, catalog);
    return { user, history: items.subarray(0, items.length - 1), target, domain, negatives };
  });
}

function checkNegatives(file: string, line: number, negatives: Int32Array, target: number, domain: number, catalog: Catalog): void {
  if (negatives.length !== NEGATIVES_PER_CASE) {
    throw new DataFormatError(file, line, `expected exactly ${NEGATIVES_PER_CASE} negatives, found ${negatives.length}`);
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

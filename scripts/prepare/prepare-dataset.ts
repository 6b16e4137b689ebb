/**
 * From what a store has (its storefront catalog JSON and an interaction log) to a dataset
 * folder (docs/data-format.md): time-ordered sequences per shopper, a leave-last-out split
 * and seeded in-domain negatives, streamed so that a log of millions of events fits.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseCatalogJson } from '../../src/catalog/catalog-json.ts';
import { DATASET_FORMAT, DATASET_VERSION, DEFAULT_NEGATIVES, MANIFEST_FILE, negativesFor, parseDatasetManifest, type DatasetFile, type DatasetManifest } from '../../src/catalog/dataset-manifest.ts';
import { CatalogError, DataFormatError, MissingFileError } from '../../src/catalog/errors.ts';
import type { Catalog } from '../../src/catalog/types.ts';
import { createRng } from '../../src/model/rng.ts';
import { InteractionLog } from './interaction-log.ts';
import { createNegativeSampler } from './negatives.ts';
import { readEvents } from './read-events.ts';
import type { PrepareSummary } from './summary.ts';
import { HashingWriter } from './tsv-writer.ts';

export interface PrepareOptions {
  readonly catalog: string;
  readonly events: readonly string[];
  readonly out: string;
  readonly seed?: number;
  /** Skip and count malformed rows instead of stopping at the first one. */
  readonly skipBad?: boolean;
  /** Shoppers with fewer interactions are dropped (at least 3: train, valid, test). */
  readonly minLength?: number;
  readonly negatives?: number;
  /** Keep only these event types (default: every type). */
  readonly types?: readonly string[];
  readonly name?: string;
  readonly log?: (line: string) => void;
}

/** --out already holds files: prepare never overwrites a folder. */
export class OutputExistsError extends CatalogError {
  override readonly name = 'OutputExistsError';
  constructor(readonly path: string) {
    super(`${path} exists and is not empty: give --out a new folder (prepare never overwrites files)`);
  }
}

const FILES: Record<DatasetFile, string> = {
  items: 'items.tsv',
  train: 'train.tsv',
  valid: 'valid.tsv',
  test: 'test.tsv',
  valid_negatives: 'valid_negatives.tsv',
  test_negatives: 'test_negatives.tsv',
};
const ITEM_HEADER = ['item', 'domain', 'id', 'title', 'description', 'image', 'url', 'price', 'sku'] as const;
const EXAMPLES = 5;
const MAX_TRACKED_UNKNOWN = 100_000;

export async function prepareDataset(options: PrepareOptions): Promise<PrepareSummary> {
  const started = performance.now();
  const minLength = options.minLength ?? 3;
  if (!Number.isInteger(minLength) || minLength < 3) throw new DataFormatError('--min-length', 0, `must be an integer >= 3 (train, valid and test need one interaction each), got ${minLength}`);
  await checkOutput(options.out);
  const name = options.name ?? basename(options.out.replace(/\/+$/, ''));
  const catalog = await readCatalog(options.catalog, name);
  const manifest = buildManifest(catalog, name, options);
  const summary = emptySummary(options, catalog, manifest);
  const log = new InteractionLog();
  await collectEvents(options, catalog, log, summary);
  summary.readSeconds = (performance.now() - started) / 1000;
  const partial = `${options.out.replace(/\/+$/, '')}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const sums = await writeFiles(partial, catalog, log, summary, minLength, manifest);
  if (summary.shoppers.kept === 0) {
    await rm(partial, { recursive: true, force: true });
    throw new DataFormatError(options.events.join(', '), 0, `no shopper has at least ${minLength} distinct consecutive interactions with catalog items (${summary.shoppers.seen} shoppers seen); nothing to train or evaluate`);
  }
  summary.seconds = (performance.now() - started) / 1000;
  await writeFile(join(partial, MANIFEST_FILE), `${JSON.stringify({ ...manifest, prepared: summary }, null, 2)}\n`);
  await writeFile(join(partial, 'SHA256SUMS'), Object.entries(sums).map(([file, hex]) => `${hex}  ${file}\n`).join(''));
  await rm(options.out, { recursive: true, force: true });
  await rename(partial, options.out);
  return summary;
}

async function checkOutput(out: string): Promise<void> {
  const entries = await readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new OutputExistsError(out);
  });
  if (entries.length > 0) throw new OutputExistsError(out);
}

async function readCatalog(path: string, name: string): Promise<Catalog> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new MissingFileError(path, '--catalog names it: the storefront catalog JSON the tag reads ([{id, domain, title?, ...}] or {items: [...]})');
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(path, 0, `not valid JSON (${(error as Error).message})`);
  }
  return parseCatalogJson(json, name, path);
}

/** The manifest, validated before anything is written (domain names come from the catalog). */
function buildManifest(catalog: Catalog, name: string, options: PrepareOptions): DatasetManifest {
  return parseDatasetManifest(
    { format: DATASET_FORMAT, version: DATASET_VERSION, name, domains: catalog.domains, negatives: options.negatives ?? DEFAULT_NEGATIVES, files: FILES },
    options.catalog,
  );
}

function emptySummary(options: PrepareOptions, catalog: Catalog, manifest: DatasetManifest): PrepareSummary {
  const perDomain = (f: (d: number) => number): Record<string, number> => Object.fromEntries(catalog.domains.map((name, d) => [name, f(d)]));
  return {
    inputs: { catalog: options.catalog, events: [...options.events] },
    rows: { read: 0, blankLines: 0, badRows: 0, badExamples: [], unknownItems: 0, unknownItemIds: 0, unknownExamples: [], otherTypes: 0, domainMismatches: 0, duplicates: 0, repeatsMerged: 0 },
    shoppers: { seen: 0, tooShort: 0, tooShortInteractions: 0, kept: 0 },
    interactions: { train: 0, valid: 0, test: 0 },
    items: {
      catalog: catalog.size,
      perDomain: perDomain((d) => catalog.domainItems[d]!.length),
      withTitle: perDomain((d) => [...catalog.domainItems[d]!].filter((i) => catalog.item(i).title !== undefined).length),
      neverInTrain: 0,
    },
    negatives: { requested: manifest.negatives, perDomain: perDomain((d) => negativesFor(manifest, catalog.domainItems[d]!.length)), seed: options.seed ?? 1 },
    readSeconds: 0,
    seconds: 0,
  };
}

async function collectEvents(options: PrepareOptions, catalog: Catalog, log: InteractionLog, summary: PrepareSummary): Promise<void> {
  const rows = summary.rows;
  const unknown = new Set<string>();
  const types = options.types ? new Set(options.types) : undefined;
  for (const file of options.events) {
    for await (const { line, result } of readEvents(file, rows)) {
      rows.read++;
      if ('problem' in result) {
        if (!options.skipBad) throw new DataFormatError(file, line, `${result.problem} (or pass --skip-bad to skip and count bad rows)`);
        rows.badRows++;
        if (rows.badExamples.length < EXAMPLES) rows.badExamples.push(`${file}:${line}: ${result.problem}`);
        continue;
      }
      const item = catalog.findIndex(result.item);
      if (item === undefined) {
        rows.unknownItems++;
        if (unknown.size < MAX_TRACKED_UNKNOWN) unknown.add(result.item);
        if (rows.unknownExamples.length < EXAMPLES && !rows.unknownExamples.includes(result.item)) rows.unknownExamples.push(result.item);
      } else if (types && !types.has(result.type ?? '')) {
        rows.otherTypes++;
      } else {
        if (result.domain !== undefined && result.domain !== catalog.item(item).domain) rows.domainMismatches++;
        log.add(result.shopper, item, result.ts);
      }
      if (rows.read % 1_000_000 === 0) options.log?.(`  ${rows.read.toLocaleString('en-US')} rows read`);
    }
  }
  rows.unknownItemIds = unknown.size;
}

async function writeFiles(dir: string, catalog: Catalog, log: InteractionLog, summary: PrepareSummary, minLength: number, manifest: DatasetManifest): Promise<Record<string, string>> {
  const writers = Object.fromEntries(Object.entries(FILES).map(([role, file]) => [role, new HashingWriter(join(dir, file))])) as Record<DatasetFile, HashingWriter>;
  await writeItems(writers.items, catalog, summary.inputs.catalog);
  await writers.train.line('user\titems');
  await writers.valid.line('user\titems');
  await writers.test.line('user\titems');
  await writers.valid_negatives.line('user\tnegatives');
  await writers.test_negatives.line('user\tnegatives');
  const sample = createNegativeSampler(catalog, createRng(summary.negatives.seed));
  const inTrain = new Uint8Array(catalog.size + 1);
  const ids = (items: Int32Array): string => Array.from(items, (i) => i - 1).join(',');
  summary.shoppers.seen = log.shoppers;
  for (const { shopper, items } of log.sequences(summary.rows)) {
    if (items.length < minLength) {
      summary.shoppers.tooShort++;
      summary.shoppers.tooShortInteractions += items.length;
      continue;
    }
    const n = items.length;
    const count = (target: number): number => negativesFor(manifest, catalog.domainItems[catalog.domainOf[target]!]!.length);
    for (const i of items.subarray(0, n - 2)) inTrain[i] = 1;
    await writers.train.line(`${shopper}\t${ids(items.subarray(0, n - 2))}`);
    await writers.valid.line(`${shopper}\t${ids(items.subarray(0, n - 1))}`);
    await writers.valid_negatives.line(`${shopper}\t${ids(sample(items[n - 2]!, count(items[n - 2]!)))}`);
    await writers.test.line(`${shopper}\t${ids(items)}`);
    await writers.test_negatives.line(`${shopper}\t${ids(sample(items[n - 1]!, count(items[n - 1]!)))}`);
    summary.shoppers.kept++;
    summary.interactions.train += n - 2;
    summary.interactions.valid++;
    summary.interactions.test++;
  }
  summary.items.neverInTrain = catalog.size - inTrain.reduce((a, b) => a + b, 0);
  const sums: Record<string, string> = {};
  for (const [role, writer] of Object.entries(writers)) sums[FILES[role as DatasetFile]] = await writer.close();
  return sums;
}

/** Text fields lose tabs and line breaks (TSV has no quoting); everything else is written as the catalog has it. */
async function writeItems(writer: HashingWriter, catalog: Catalog, source: string): Promise<void> {
  const clean = (value: string | number | undefined): string => (value === undefined ? '' : String(value).replace(/[\t\r\n]+/g, ' '));
  await writer.line(ITEM_HEADER.join('\t'));
  for (const [p, item] of catalog.items.entries()) {
    if (/[\t\r\n]/.test(item.id)) throw new DataFormatError(source, p + 1, `item #${p + 1}: id ${JSON.stringify(item.id)} contains a tab or line break; ids must be single-line without tabs`);
    await writer.line([String(p), item.domain, item.id, clean(item.title), clean(item.description), clean(item.image), clean(item.url), clean(item.price), clean(item.sku)].join('\t'));
  }
}

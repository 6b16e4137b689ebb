import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/catalog.ts';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { DataFormatError } from '../../src/catalog/errors.ts';
import type { Dataset } from '../../src/catalog/types.ts';
import { evaluate } from '../../src/eval/evaluate.ts';
import { MODELS } from '../models.ts';
import { OutputExistsError, prepareDataset } from './prepare-dataset.ts';
import { domainMapping, START_TS, storeFromDataset, syntheticStore, toCsv, writeJsonl } from './store-variants.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hafrec-prepare-'));
});

/** A three-domain store, music without titles, logged as CSV (ISO ts) + JSON lines + one tag export. */
async function threeDomainStore(): Promise<{ catalog: string; events: string[] }> {
  const store = syntheticStore({ domains: ['books', 'music', 'toys'], itemsPerDomain: 40, shoppers: 60, length: 8 });
  const catalog = store.catalog.map((item) => (item.domain === 'music' ? { id: item.id, domain: item.domain } : item));
  await writeFile(join(dir, 'catalog.json'), JSON.stringify({ items: catalog }));
  await writeFile(join(dir, 'events.csv'), toCsv(store.events.slice(0, 240)));
  const extra = [
    { shopper: 'u0', item: 'books-0', type: 'view', ts: START_TS - 1 },
    { shopper: 'u0', item: 'books-0', type: 'view', ts: START_TS - 1 },
    { shopper: 'u1', item: 'gone-1', type: 'view', ts: START_TS },
    { shopper: 'once', item: 'toys-3', type: 'view', ts: START_TS },
  ];
  await writeJsonl(join(dir, 'events.jsonl'), [...store.events.slice(240), ...extra]);
  const events = [1, 2, 3].map((k) => ({ type: 'view', itemId: `toys-${k}`, domain: 'toys', ts: START_TS + k }));
  await writeFile(join(dir, 'shopper-x.json'), JSON.stringify({ format: 'hafrec-history', version: 1, database: 'hafrec', events }));
  return { catalog: join(dir, 'catalog.json'), events: ['events.csv', 'events.jsonl', 'shopper-x.json'].map((f) => join(dir, f)) };
}

describe('prepareDataset', () => {
  it('turns a three-domain store into a dataset: counts, leave-last-out split, capped negatives, checksums', async () => {
    const input = await threeDomainStore();
    const out = join(dir, 'three');
    const summary = await prepareDataset({ ...input, out, seed: 5 });
    expect(summary.rows).toMatchObject({ read: 60 * 8 + 4 + 3, unknownItems: 1, unknownItemIds: 1, duplicates: 1, badRows: 0 });
    expect(summary.shoppers).toMatchObject({ seen: 62, tooShort: 1, kept: 61 });
    expect(summary.items.withTitle).toEqual({ books: 40, music: 0, toys: 40 });
    expect(summary.negatives.perDomain).toEqual({ books: 39, music: 39, toys: 39 });
    const d = await loadDataset(out);
    expect(d.catalog.domains).toEqual(['books', 'music', 'toys']);
    expect(d.catalog.item(d.catalog.indexOf('music-3')).title).toBeUndefined();
    expect(await readdir(out)).toEqual(expect.arrayContaining(['dataset.json', 'SHA256SUMS', 'items.tsv']));
    checkLeaveLastOut(d);
    const x = d.test.find((c) => c.user === input.events[2])!;
    expect([...x.history, x.target].map((i) => d.catalog.item(i).id)).toEqual(['toys-1', 'toys-2', 'toys-3']);
    expect(d.valid.every((c) => c.negatives.length === 39)).toBe(true);
  });

  it('is reproducible from its seed', async () => {
    const input = await threeDomainStore();
    await prepareDataset({ ...input, out: join(dir, 'seed-a'), seed: 5 });
    await prepareDataset({ ...input, out: join(dir, 'seed-b'), seed: 6 });
    const negatives = (d: string) => readFile(join(dir, d, 'valid_negatives.tsv'), 'utf8');
    expect(await negatives('seed-a')).toBe(await negatives('three'));
    expect(await negatives('seed-b')).not.toBe(await negatives('three'));
  });

  it('stops at a bad row with its file and line, or skips and counts it under skipBad', async () => {
    const input = await threeDomainStore();
    const csv = await readFile(input.events[0]!, 'utf8');
    await writeFile(input.events[0]!, csv.replace(/\n(.*?),(.*?),(.*?),.*?\n/, '\n$1,$2,$3,yesterday\n'));
    const error = await prepareDataset({ ...input, out: join(dir, 'bad') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error).toMatchObject({ file: input.events[0], line: 2, message: expect.stringMatching(/"ts" "yesterday".*--skip-bad/) });
    const summary = await prepareDataset({ ...input, out: join(dir, 'skipped'), skipBad: true });
    expect(summary.rows.badRows).toBe(1);
    expect(summary.rows.badExamples[0]).toMatch(/events\.csv:2:/);
  });

  it('never overwrites a folder that holds files', async () => {
    const input = await threeDomainStore();
    await expect(prepareDataset({ ...input, out: join(dir, 'three') })).rejects.toThrow(OutputExistsError);
    expect((await loadDataset(join(dir, 'three'))).catalog.size).toBe(120);
  });
});

/** Valid history = the train sequence; test history = train + the valid target. */
function checkLeaveLastOut(d: Dataset): void {
  const train = new Map(d.train.map((s) => [s.user, [...s.items]]));
  for (const [k, v] of d.valid.entries()) {
    const t = d.test[k]!;
    expect(t.user).toBe(v.user);
    expect([...v.history]).toEqual(train.get(v.user));
    expect([...t.history]).toEqual([...v.history, v.target]);
  }
}

describe('Food-Kitchen as a store would have it (train sequences only)', () => {
  it('loads with renamed domains, no kitchen titles and a 10x sparser log, and evaluates on valid', async () => {
    const fk = await loadDataset();
    const store = storeFromDataset(fk, { domainOf: (d) => (d === 'food' ? 'grocery' : 'home'), untitled: ['home'], everyKthShopper: 10 });
    await writeFile(join(dir, 'fk-catalog.json'), JSON.stringify(store.catalog));
    await writeJsonl(join(dir, 'fk-events.jsonl'), store.events);
    const summary = await prepareDataset({ catalog: join(dir, 'fk-catalog.json'), events: [join(dir, 'fk-events.jsonl')], out: join(dir, 'fk') });
    expect(summary.items.perDomain).toEqual({ grocery: 8661, home: 27637 });
    expect(summary.items.withTitle.home).toBe(0);
    const d = await loadDataset(join(dir, 'fk'));
    expect(d.valid.length).toBe(summary.shoppers.kept);
    const cooccurrence = await MODELS.cooccurrence!(d, {});
    const report = await evaluate(cooccurrence, d.catalog, d.valid, { split: 'valid', full: false });
    expect(Object.keys(report.sampled)).toEqual(['grocery', 'home', 'overall']);
    expect(report.sampled.overall!['NDCG@10']).toBeGreaterThan(0.02);
  }, 180_000);
});

describe('storeFromDataset (variant-store --every / --offset / --extra-items)', () => {
  it('keeps the offset-th of every k shoppers: the k offsets split the shoppers into k disjoint stores', () => {
    const catalog = createCatalog('tiny', [{ id: 'a', domain: 'food' }, { id: 'b', domain: 'food' }]);
    const train = Array.from({ length: 7 }, (_, u) => ({ user: `s${u}`, items: Int32Array.from([1, 2]) }));
    const dataset: Dataset = { name: 'tiny', catalog, train, valid: [], test: [] };
    const shoppersOf = (offset: number): string[] => [...new Set(storeFromDataset(dataset, { everyKthShopper: 3, shopperOffset: offset }).events.map((e) => e.shopper))];
    expect(shoppersOf(0)).toEqual(['s0', 's3', 's6']);
    expect(shoppersOf(1)).toEqual(['s1', 's4']);
    expect(shoppersOf(2)).toEqual(['s2', 's5']);
    expect(storeFromDataset(dataset, { everyKthShopper: 3 }).events.map((e) => e.shopper)).toEqual(['s0', 's0', 's3', 's3', 's6', 's6']);
  });

  it('appends untitled catalog-only items to a domain (--extra-items), with no events', () => {
    const catalog = createCatalog('tiny', [{ id: 'a', domain: 'food', title: 'Tea' }]);
    const dataset: Dataset = { name: 'tiny', catalog, train: [{ user: 's0', items: Int32Array.from([1]) }], valid: [], test: [] };
    const store = storeFromDataset(dataset, { extraItems: { domain: 'garden', count: 2 } });
    expect(store.catalog).toEqual([{ id: 'P0', domain: 'food', title: 'Tea' }, { id: 'X0', domain: 'garden' }, { id: 'X1', domain: 'garden' }]);
    expect(store.events.map((e) => e.item)).toEqual(['P0']);
  });
});

describe('domainMapping (variant-store --rename / --split)', () => {
  it('renames domains and deals a split domain round-robin by item index', () => {
    const map = domainMapping('food=grocery', 'kitchen=home,cookware,garden', ['food', 'kitchen']);
    expect([map('food', 1), map('food', 2)]).toEqual(['grocery', 'grocery']);
    expect([1, 2, 3, 4].map((i) => map('kitchen', i))).toEqual(['cookware', 'garden', 'home', 'cookware']);
    expect(domainMapping('', '', ['food'])('food', 5)).toBe('food');
  });

  it('rejects an unknown domain or a split into fewer than two', () => {
    expect(() => domainMapping('drinks=bar', '', ['food', 'kitchen'])).toThrow(/OLD one of food, kitchen/);
    expect(() => domainMapping('', 'kitchen=home', ['food', 'kitchen'])).toThrow(/two or more new names/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDataset } from './dataset-parse.ts';
import { parseDatasetManifest, type DatasetManifest, type DatasetTexts } from './dataset-manifest.ts';
import { DataFormatError } from './errors.ts';

const FILES = {
  items: 'items.tsv',
  train: 'train.tsv',
  valid: 'valid.tsv',
  test: 'test.tsv',
  valid_negatives: 'valid_negatives.tsv',
  test_negatives: 'test_negatives.tsv',
};
const manifestOf = (overrides: Record<string, unknown> = {}): DatasetManifest =>
  parseDatasetManifest({ format: 'hafrec-dataset', version: 1, name: 'tiny', domains: ['food', 'kitchen'], negatives: 999, files: FILES, ...overrides });
const parseFoodKitchen = (t: DatasetTexts, manifest = manifestOf()) => parseDataset(manifest, t);

const negatives = (from: number, count: number, skip: number): string =>
  Array.from({ length: count + 1 }, (_, i) => from + i)
    .filter((id) => id !== skip)
    .slice(0, count)
    .join(',');

/** A tiny valid dataset: items 0..999 food, 1000..1999 kitchen. */
function texts(overrides: Partial<DatasetTexts> = {}): DatasetTexts {
  const items = ['item\tdomain\tasin\ttitle'];
  for (let i = 0; i < 2000; i++) items.push(`${i}\t${i < 1000 ? 'food' : 'kitchen'}\tA${i}\tTitle ${i}`);
  return {
    items: `${items.join('\n')}\n`,
    train: 'user\titems\nu1\t0,1,1001\nu2\t1002,3\n',
    valid: 'user\titems\n1\t0,1000,5\n',
    test: 'user\titems\n1\t1,2,1500\n',
    valid_negatives: `user\tnegatives\n1\t${negatives(0, 999, 5)}\n`,
    test_negatives: `user\tnegatives\n1\t${negatives(1000, 999, 1500)}\n`,
    ...overrides,
  };
}

function errorOf(t: DatasetTexts, manifest = manifestOf()): DataFormatError {
  try {
    parseFoodKitchen(t, manifest);
  } catch (error) {
    if (error instanceof DataFormatError) return error;
    throw error;
  }
  throw new Error('expected a DataFormatError');
}

describe('parseDataset (Food-Kitchen columns)', () => {
  it('shifts dataset ids by one and splits history from target', () => {
    const d = parseFoodKitchen(texts());
    expect(d.catalog.size).toBe(2000);
    expect(d.catalog.domains).toEqual(['food', 'kitchen']);
    expect([...d.train[0]!.items]).toEqual([1, 2, 1002]);
    const v = d.valid[0]!;
    expect([...v.history]).toEqual([1, 1001]);
    expect(v.target).toBe(6);
    expect(v.domain).toBe(0);
    expect(v.negatives.length).toBe(999);
    expect(d.test[0]!.domain).toBe(1);
    expect(d.catalog.item(1).sku).toBe('A0');
  });

  it('names file and line for an unknown domain', () => {
    const bad = texts().items.replace('3\tfood\tA3', '3\ttoys\tA3');
    const e = errorOf(texts({ items: bad }));
    expect(e.file).toBe('items.tsv');
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/unknown domain "toys".*food, kitchen/);
  });

  it('rejects an item id out of range in a sequence', () => {
    const e = errorOf(texts({ train: 'user\titems\nu1\t0,1\nu2\t5,2000\n' }));
    expect([e.file, e.line]).toEqual(['train.tsv', 3]);
    expect(e.message).toMatch(/"2000" is not an integer in 0\.\.1999/);
  });

  it('rejects an empty sequence, a bad header, a wrong field count and duplicate users', () => {
    expect(errorOf(texts({ train: 'user\titems\nu1\t\n' })).message).toMatch(/at least 1/);
    expect(errorOf(texts({ train: 'usr\titems\nu1\t1\n' })).line).toBe(1);
    expect(errorOf(texts({ train: 'user\titems\nu1\t1\textra\n' })).message).toMatch(/expected 2/);
    expect(errorOf(texts({ train: 'user\titems\nu1\t1\nu1\t2\n' })).message).toMatch(/duplicate user/);
  });

  it('rejects non-consecutive (duplicate) item ids', () => {
    const bad = texts().items.replace('\n4\tfood', '\n3\tfood');
    expect(errorOf(texts({ items: bad })).message).toMatch(/must be 4/);
  });

  it('rejects negatives that include the target or leave the domain', () => {
    const withTarget = `user\tnegatives\n1\t${negatives(0, 999, 7)}\n`;
    expect(errorOf(texts({ valid_negatives: withTarget })).message).toMatch(/is the target/);
    const crossDomain = `user\tnegatives\n1\t${negatives(500, 999, 5)}\n`;
    expect(errorOf(texts({ valid_negatives: crossDomain })).message).toMatch(/not in the target's domain/);
  });
});

describe('parseDataset (general columns and domains)', () => {
  const three = (): DatasetTexts => {
    const items = ['domain\titem\tid\ttitle\timage\tprice'];
    for (let i = 0; i < 30; i++) {
      const domain = ['books', 'music', 'toys'][Math.floor(i / 10)]!;
      items.push(`${domain}\t${i}\tSKU-${i}\t${domain === 'music' ? '' : `Title ${i}`}\t${i === 0 ? 'https://x/0.jpg' : ''}\t${i === 1 ? '9.5' : ''}`);
    }
    return {
      items: `${items.join('\n')}\n`,
      train: 'user\titems\nu1\t0,11,21\n',
      valid: 'user\titems\nu1\t0,11,21,1\n',
      test: 'user\titems\nu1\t0,11,21,1,25\n',
      valid_negatives: `user\tnegatives\nu1\t${negatives(0, 5, 1)}\n`,
      test_negatives: `user\tnegatives\nu1\t${negatives(20, 5, 25)}\n`,
    };
  };
  const manifest = manifestOf({ domains: ['books', 'music', 'toys'], negatives: 5 });

  it('reads any column order, store ids, optional fields and the declared domain order', () => {
    const d = parseDataset(manifest, three());
    expect(d.catalog.domains).toEqual(['books', 'music', 'toys']);
    expect(d.catalog.item(1)).toEqual({ id: 'SKU-0', domain: 'books', title: 'Title 0', image: 'https://x/0.jpg' });
    expect(d.catalog.item(2).price).toBe(9.5);
    expect(d.catalog.item(12).title).toBeUndefined();
    expect(d.catalog.indexOf('SKU-25')).toBe(26);
    expect(d.test[0]!.domain).toBe(2);
    expect(d.test[0]!.negatives.length).toBe(5);
  });

  it('caps negatives at domain size - 1 and requires exactly that many', () => {
    const small = manifestOf({ domains: ['books', 'music', 'toys'], negatives: 999 });
    const t = { ...three(), valid_negatives: `user\tnegatives\nu1\t${negatives(0, 9, 1)}\n`, test_negatives: `user\tnegatives\nu1\t${negatives(20, 9, 25)}\n` };
    expect(parseDataset(small, t).valid[0]!.negatives.length).toBe(9);
    expect(errorOf(three(), small).message).toMatch(/expected exactly 9 negatives.*"books"/);
  });

  it('names the problem for unknown columns, undeclared or empty domains and bad prices', () => {
    expect(errorOf({ ...three(), items: three().items.replace('title', 'name') }, manifest).message).toMatch(/unknown column "name".*valid columns are item, domain, id/);
    expect(errorOf({ ...three(), items: three().items.replace('toys\t29', 'games\t29') }, manifest)).toMatchObject({ line: 31, message: expect.stringMatching(/"games".*books, music, toys/) });
    const four = manifestOf({ domains: ['books', 'music', 'toys', 'garden'], negatives: 5 });
    expect(errorOf(three(), four).message).toMatch(/"garden" is declared but has no items/);
    expect(errorOf({ ...three(), items: three().items.replace('\t9.5', '\tcheap') }, manifest).message).toMatch(/price "cheap"/);
  });
});

describe('parseDatasetManifest', () => {
  it('says what is valid for every key', () => {
    expect(() => manifestOf({ format: 'other' })).toThrow(/"format" must be "hafrec-dataset"/);
    expect(() => manifestOf({ domains: ['a', 'a'] })).toThrow(/listed twice/);
    expect(() => manifestOf({ domains: ['overall'] })).toThrow(/reserved/);
    expect(() => manifestOf({ files: { ...FILES, items: '../items.tsv' } })).toThrow(/files\.items/);
    expect(() => manifestOf({ colour: 1 })).toThrow(/unknown key\(s\) "colour"/);
    expect(() => manifestOf({ negatives: 0 })).toThrow(/"negatives" must be an integer >= 1/);
  });
});

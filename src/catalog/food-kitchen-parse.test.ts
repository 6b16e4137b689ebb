import { describe, expect, it } from 'vitest';
import { parseFoodKitchen, type DatasetTexts } from './food-kitchen-parse.ts';
import { DataFormatError } from './errors.ts';

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

function errorOf(t: DatasetTexts): DataFormatError {
  try {
    parseFoodKitchen(t);
  } catch (error) {
    if (error instanceof DataFormatError) return error;
    throw error;
  }
  throw new Error('expected a DataFormatError');
}

describe('parseFoodKitchen', () => {
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

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/catalog/catalog.ts';
import type { Dataset } from '../../src/catalog/types.ts';
import { productUrl, shopperSequences, storeCatalog, writeEventLog } from './export-store.ts';

const catalog = createCatalog('t', [
  { id: '10', domain: 'food', title: 'Tea &amp; Honey', sku: 'B0' },
  { id: '11', domain: 'kitchen', title: 'Mug' },
  { id: '12', domain: 'kitchen' },
]);
const none = new Int32Array(0);
const dataset: Dataset = {
  name: 't',
  catalog,
  train: [{ user: 'u1', items: Int32Array.from([1, 2]) }],
  valid: [{ user: 'v1', history: Int32Array.from([2]), target: 3, domain: 1, negatives: none }],
  test: [{ user: 'v1', history: Int32Array.from([1, 2]), target: 1, domain: 0, negatives: none }],
};

describe('Food-Kitchen as a raw store', () => {
  it('exports the storefront catalog with plain-text titles, one product template URL and no SKU', () => {
    expect(storeCatalog(dataset)).toEqual([
      { id: '10', domain: 'food', title: 'Tea & Honey', url: 'product.html?id=10' },
      { id: '11', domain: 'kitchen', title: 'Mug', url: 'product.html?id=11' },
      { id: '12', domain: 'kitchen', url: 'product.html?id=12' },
    ]);
    expect(productUrl('a b')).toBe('product.html?id=a%20b');
  });

  it('logs every shopper: training sequences, then valid and test histories followed by the held-out item', async () => {
    expect([...shopperSequences(dataset)].map((s) => [s.shopper, [...Array.from(s.items)]])).toEqual([
      ['train:u1', [1, 2]],
      ['valid:v1', [2, 3]],
      ['test:v1', [1, 2, 1]],
    ]);
    const path = join(await mkdtemp(join(tmpdir(), 'export-')), 'events.jsonl');
    expect(await writeEventLog(dataset, path)).toBe(7);
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { shopper: string; item: string; ts: number });
    expect(lines[0]).toMatchObject({ shopper: 'train:u1', item: '10', type: 'purchase' });
    expect(lines[3]!.item).toBe('12');
    expect(lines[1]!.ts).toBeGreaterThan(lines[0]!.ts);
  });
});

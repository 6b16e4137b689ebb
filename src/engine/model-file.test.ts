import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { reindexTable } from './model-file.ts';

const items = [{ id: 'a', domain: 'd' }, { id: 'b', domain: 'd' }, { id: 'c', domain: 'd' }];
const file = { ids: ['a', 'b', 'c'], offsets: [0, 0, 2, 3, 3], targets: [3, 2, 1], weights: [1, 3, 0.5], popularity: [0, 4, 2, 7] };

describe('reindexTable', () => {
  it("gives the same table for a catalog in the file's order (fast path) as the general re-indexing", () => {
    const same = reindexTable(file, createCatalog('s', items), 'prior.bin');
    const general = reindexTable(file, createCatalog('s', [...items, { id: 'new', domain: 'd' }]), 'prior.bin');
    expect([...same.table.offsets]).toEqual([...general.table.offsets].slice(0, 5));
    expect([...same.table.targets]).toEqual([...general.table.targets]);
    expect([...same.table.weights]).toEqual([...general.table.weights]);
    expect([...same.table.targets]).toEqual([2, 3, 1]);
    expect([...same.popularity]).toEqual([0, 4, 2, 7]);
  });
});

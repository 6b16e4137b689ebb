import { describe, expect, it } from 'vitest';
import { IdIndex } from './id-index.ts';
import { StringColumnBuilder } from './string-column.ts';

describe('IdIndex', () => {
  it('finds every id, misses others, and reports a repeated id with its first index', () => {
    const ids = Array.from({ length: 20_000 }, (_, p) => (p % 2 ? `item-${p}` : String(p * 31)));
    const column = new StringColumnBuilder(ids.length + 1);
    const index = new IdIndex(column, ids.length + 1);
    ids.forEach((id, p) => {
      column.add(id);
      expect(index.add(id, p + 1)).toBeUndefined();
    });
    ids.forEach((id, p) => expect(index.find(id)).toBe(p + 1));
    expect(index.find('item-0')).toBeUndefined();
    expect(index.find('')).toBeUndefined();
    column.add('item-7');
    expect(index.add('item-7', ids.length + 1)).toBe(8);
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../catalog/catalog.ts';
import { loadLexicalFeatures } from './workbench-features.ts';

const items = [
  { id: 'a', domain: 'food', title: 'Dark chocolate' },
  { id: 'b', domain: 'kitchen', title: 'Chef knife' },
];

describe('the demo\'s lexical features, through src/store\'s feature cache', () => {
  it('computes on a first visit, reads the cache on the next, and misses when a title changes', async () => {
    const name = 'demo-features-test';
    const first = await loadLexicalFeatures(createCatalog('shop', items), 16, name);
    expect(first.origin.source).toBe('computed');
    const second = await loadLexicalFeatures(createCatalog('shop', items), 16, name);
    expect(second.origin.source).toBe('cache');
    expect(Array.from(second.table.vectors)).toEqual(Array.from(first.table.vectors));
    const changed = createCatalog('shop', [items[0]!, { ...items[1]!, title: 'Bread knife' }]);
    expect((await loadLexicalFeatures(changed, 16, name)).origin.source).toBe('computed');
    expect((await loadLexicalFeatures(changed, 16, name)).origin.source).toBe('cache');
  });

  it('encodes anyway when the database cannot be used', async () => {
    const original = globalThis.indexedDB;
    (globalThis as { indexedDB?: unknown }).indexedDB = undefined;
    try {
      const result = await loadLexicalFeatures(createCatalog('shop', items), 16, 'demo-features-none');
      expect(result.origin.source).toBe('computed');
    } finally {
      globalThis.indexedDB = original;
    }
  });
});

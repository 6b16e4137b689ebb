import { describe, expect, it } from 'vitest';
import { createCatalog } from './catalog.ts';
import { catalogFingerprint, ID_FIELDS, itemsHash, TEXT_FIELDS } from './fingerprint.ts';

describe('catalog fingerprint', () => {
  // Expected values computed independently (FNV-1a, offsets 0x811c9dc5 / 0xcbf29ce4, primes 0x01000193 / 0x0100019d, in Python).
  it('hashes one "id\\tdomain\\n" line per item, two FNV-1a lanes in hex', () => {
    expect(itemsHash(createCatalog('c', [{ id: 'a', domain: 'food' }]), ID_FIELDS)).toBe('ec8db7a7f24f7434');
    expect(itemsHash(createCatalog('c', [{ id: 'a', domain: 'food' }, { id: 'b', domain: 'kitchen' }]), ID_FIELDS)).toBe('cb3f1b80349955f3');
    expect(itemsHash(createCatalog('c', [{ id: 'a', domain: 'food', title: 'Tea' }]), TEXT_FIELDS)).toBe('22e218b7df12edd8');
  });

  it('changes with the ids, their order or their domains, not with titles; the text hash changes with titles', () => {
    const base = createCatalog('c', [{ id: 'a', domain: 'food', title: 'Tea' }, { id: 'b', domain: 'kitchen' }]);
    const retitled = createCatalog('c', [{ id: 'a', domain: 'food', title: 'Green tea' }, { id: 'b', domain: 'kitchen' }]);
    const reordered = createCatalog('c', [{ id: 'b', domain: 'kitchen' }, { id: 'a', domain: 'food', title: 'Tea' }]);
    expect(itemsHash(retitled)).toBe(itemsHash(base));
    expect(itemsHash(reordered)).not.toBe(itemsHash(base));
    expect(itemsHash(retitled, TEXT_FIELDS)).not.toBe(itemsHash(base, TEXT_FIELDS));
    expect(catalogFingerprint(base)).toEqual({ name: 'c', size: 2, domains: ['food', 'kitchen'], idHash: itemsHash(base) });
  });
});

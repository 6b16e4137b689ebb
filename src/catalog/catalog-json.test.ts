import { describe, expect, it } from 'vitest';
import { parseCatalogJson } from './catalog-json.ts';
import { DataFormatError, UnknownDomainError, UnknownItemError } from './errors.ts';

describe('parseCatalogJson', () => {
  it('indexes any number of domains from a storefront catalog', () => {
    const c = parseCatalogJson(
      {
        items: [
          { id: 'b1', domain: 'books', title: 'Dune', price: 9.5 },
          { id: 'm1', domain: 'movies', title: 'Alien', image: '/img/m1.jpg', url: '/m1' },
          { id: 42, domain: 'music' },
          { id: 'b2', domain: 'books', description: 'x' },
        ],
      },
      'shop',
    );
    expect(c.domains).toEqual(['books', 'movies', 'music']);
    expect(c.indexOf('42')).toBe(3);
    expect([...c.domainItems[0]!]).toEqual([1, 4]);
    expect(c.item(2).image).toBe('/img/m1.jpg');
    expect(c.domainIndex('music')).toBe(2);
    expect(() => c.indexOf('nope')).toThrow(UnknownItemError);
    expect(() => c.item(0)).toThrow(/valid internal indices are 1\.\.4/);
    expect(() => c.domainIndex('toys')).toThrow(UnknownDomainError);
    expect(c.item(1)).toEqual({ id: 'b1', domain: 'books', title: 'Dune', price: 9.5 });
    expect(c.items).toEqual([c.item(1), c.item(2), c.item(3), c.item(4)]);
    expect([c.id(3), c.findIndex('b2'), c.findIndex('b3')]).toEqual(['42', 4, undefined]);
    expect(() => c.id(5)).toThrow(UnknownItemError);
  });

  it('names the entry and field of a malformed item', () => {
    const bad = (items: unknown[]): DataFormatError => {
      try {
        parseCatalogJson(items, 'shop', 'catalog.json');
      } catch (e) {
        return e as DataFormatError;
      }
      throw new Error('expected an error');
    };
    expect(bad([{ id: 'a', domain: 'x' }, { id: 'b' }]).message).toMatch(/catalog\.json:2: item #2: "domain"/);
    expect(bad([{ id: 'a', domain: 'x', price: -1 }]).message).toMatch(/"price"/);
    expect(bad([{ id: 'a', domain: 'x', colour: 'red' }]).message).toMatch(/unknown field.*"colour"/);
    expect(bad([{ id: 'a', domain: 'x' }, { id: 'a', domain: 'y' }]).message).toMatch(/duplicate item id "a"/);
    // Every entry is checked before the catalog-wide checks: a later malformed entry is reported first.
    expect(bad([{ id: 'a', domain: 'x' }, { id: 'a', domain: 'x' }, { id: 'b' }]).message).toMatch(/catalog\.json:3: item #3: "domain"/);
    expect(() => parseCatalogJson('nope', 's')).toThrow(DataFormatError);
    expect(() => parseCatalogJson([], 's')).toThrow(/no items/);
  });
});

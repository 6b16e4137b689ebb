import { describe, expect, it } from 'vitest';
import { createCatalog, domainPositions } from './catalog.ts';

describe('domainPositions', () => {
  it("gives each item its position in its own domain's list, -1 for padding, once per catalog", () => {
    const catalog = createCatalog('toy', [
      { id: 'a', domain: 'food' },
      { id: 'b', domain: 'kitchen' },
      { id: 'c', domain: 'food' },
      { id: 'd', domain: 'kitchen' },
    ]);
    const position = domainPositions(catalog);
    expect([...position]).toEqual([-1, 0, 0, 1, 1]);
    for (const items of catalog.domainItems) items.forEach((item, k) => expect(position[item]).toBe(k));
    expect(domainPositions(catalog)).toBe(position);
    expect(domainPositions(createCatalog('other', [{ id: 'a', domain: 'food' }]))).not.toBe(position);
  });
});

import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { UnknownItemError } from '../catalog/errors.ts';
import { ModelError } from './errors.ts';
import { Int8ItemTable } from './int8-item-table.ts';
import { dequantizeRows, quantizeRows } from './int8-rows.ts';

// Items 1..5 alternate between two domains: a = [1, 3, 5], b = [2, 4].
const catalog = createCatalog('t', ['a', 'b', 'a', 'b', 'a'].map((domain, i) => ({ id: `i${i + 1}`, domain })));
const vectors = (item: number) => Float32Array.from({ length: 20 }, (_, j) => Math.sin(item * 7 + j));
const rowsOf = (items: Int32Array) => quantizeRows(Float32Array.from(Array.from(items).flatMap((i) => Array.from(vectors(i)))), 20);

function table(simd?: boolean): Int8ItemTable {
  const alpha = Uint8Array.from({ length: 6 * 2 }, (_, k) => (k % 2 === 0 ? 255 : 51));
  return new Int8ItemTable(catalog, { domains: catalog.domainItems.map(rowsOf), alpha, modalities: 2 }, simd === false ? { simd } : {});
}

describe('Int8ItemTable', () => {
  it('gathers any catalog rows across domains (padding row 0 = zeros) and their modality weights', () => {
    const t = table();
    const got = t.vectors([4, 0, 3]);
    const want = (item: number, k: number) => dequantizeRows(rowsOf(catalog.domainItems[catalog.domainOf[item]!]!), [k]);
    expect(Array.from(got.subarray(0, 20))).toEqual(Array.from(want(4, 1)));
    expect(Array.from(got.subarray(20, 40))).toEqual(new Array<number>(20).fill(0));
    expect(Array.from(got.subarray(40, 60))).toEqual(Array.from(want(3, 1)));
    expect(Array.from(t.alpha([1, 2])!)).toEqual([1, 0.2, 1, 0.2].map(Math.fround));
    expect(() => t.vectors([6])).toThrow(UnknownItemError);
  });

  it("scores a whole domain in domainItems order, close to the rows' float dot products, SIMD or not", () => {
    const user = Float32Array.from({ length: 20 }, (_, j) => Math.cos(j));
    for (const simd of [true, false]) {
      const t = table(simd);
      const whole = t.scoreDomain(0, user);
      const exact = t.scoreItems(catalog.domainItems[0]!, user);
      expect(whole).toHaveLength(3);
      whole.forEach((s, i) => expect(s).toBeCloseTo(exact[i]!, 3));
    }
  });

  it('refuses tables that do not match the catalog, and use after dispose, with a ModelError', () => {
    expect(() => new Int8ItemTable(catalog, { domains: [rowsOf(catalog.domainItems[0]!)], modalities: 0 })).toThrow(ModelError);
    const t = table();
    t.dispose();
    expect(() => t.scoreDomain(0, new Float32Array(20))).toThrow(ModelError);
  });
});

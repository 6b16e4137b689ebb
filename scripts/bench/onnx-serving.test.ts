import { describe, expect, it } from 'vitest';
import { servingInputs, type ServingCatalog } from './onnx-serving.ts';

// Items 1-3 in domain 0 (food), 4-6 in domain 1 (kitchen); index 0 is padding.
const catalog: ServingCatalog = { domains: ['food', 'kitchen'], size: 6, domainOf: Int32Array.from([-1, 0, 0, 0, 1, 1, 1]) };

describe('servingInputs', () => {
  it('lays out the views of buildBatch with catalog indices and positions as [views, queries]', () => {
    const inputs = servingInputs([Int32Array.from([1, 4, 2]), Int32Array.from([5])], 1, catalog, 50);
    const by = Object.fromEntries(inputs.map((x) => [x.name, x]));
    expect(inputs.map((x) => x.name)).toEqual(['positions', 'query_domain', 'items_0', 'mask_0', 'items_1', 'mask_1', 'items_2', 'mask_2']);
    expect([...by.items_0!.data]).toEqual([1, 2, 0, 0]);
    expect(by.items_0!.dims).toEqual([2, 2]);
    expect([...by.items_2!.data]).toEqual([1, 4, 2, 5, 0, 0]);
    expect([...by.mask_2!.data]).toEqual([1, 1, 1, 1, 0, 0]);
    // Per view, each query's last filled flat position (row * length + p), -1 for an empty view.
    expect([...by.positions!.data]).toEqual([1, -1, 0, 1, 2, 3]);
    expect(by.positions!.dims).toEqual([3, 2]);
    expect([...by.query_domain!.data]).toEqual([1, 1]);
  });

  it('gives a view nobody has items in one masked padding column', () => {
    const by = Object.fromEntries(servingInputs([Int32Array.from([4, 5])], 1, catalog, 50).map((x) => [x.name, x]));
    expect(by.items_0!.dims).toEqual([1, 1]);
    expect([...by.items_0!.data]).toEqual([0]);
    expect([...by.mask_0!.data]).toEqual([0]);
    expect([...by.positions!.data]).toEqual([-1, 1, 1]);
  });

  it('keeps the last maxLength items, as HafRecommender does', () => {
    const by = Object.fromEntries(servingInputs([Int32Array.from([1, 2, 4, 5])], 1, catalog, 2).map((x) => [x.name, x]));
    expect([...by.items_2!.data]).toEqual([4, 5]);
  });
});

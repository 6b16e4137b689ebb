import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { paramLayout, type ModelShape } from './param-layout.ts';
import { mapParams, paramLeaves } from './param-tree.ts';

const shape: ModelShape = { items: 12, domains: 2, modalities: [{ name: 'text', dim: 5 }, { name: 'image', dim: 3 }] };

describe('parameter tree', () => {
  it('mapParams keeps the structure, optional parts included only where the source has them', () => {
    const layout = paramLayout(resolveConfig({ dim: 4, blocks: 2, attentionDim: 2 }), shape);
    const names = mapParams(layout, (spec) => spec.name);
    expect(names.views[2]!.blocks[1]!.ff2.w).toBe('enc.mixed.b1.ff2.w');
    expect(names.views[0]!.lnf.g).toBe('enc.d0.lnf.g');
    expect(names.item.proj['image']!.b).toBe('item.proj.image.b');
    expect(names.item.att!.q).toBe('item.att.q');
    expect(names.domain!.bias).toBe('dom.bias');
    const mixedOnly = mapParams(paramLayout(resolveConfig({ domainAttention: false, modalityAttention: false }), shape), (spec) => spec.name);
    expect('att' in mixedOnly.item).toBe(false);
    expect('domain' in mixedOnly).toBe(false);
    expect(mixedOnly.views.slice(0, 2)).toEqual([undefined, undefined]);
  });

  it('paramLeaves lists every leaf once, at the same index in a mapped tree', () => {
    const layout = paramLayout(resolveConfig({ dim: 4, blocks: 2, attentionDim: 2 }), shape);
    const specs = paramLeaves(layout);
    // item: id, 2 x proj (w, b), att (w, b, q); 3 views x (pos, 2 x 12 block weights, lnf g, b); dom: w, b, q, bias
    expect(specs).toHaveLength(1 + 4 + 3 + 3 * (1 + 24 + 2) + 4);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    expect(paramLeaves(mapParams(layout, (spec) => spec.name))).toEqual(specs.map((s) => s.name));
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { WeightsFormatError } from './errors.ts';
import { paramLayout, type ModelShape } from './param-layout.ts';
import { paramLeaves } from './param-tree.ts';
import { createParams, namedParams, paramSpecs, paramTree } from './params.ts';
import { createRng } from './rng.ts';

const config = resolveConfig({ dim: 4, blocks: 1, maxLength: 6, attentionDim: 2 });
const shape: ModelShape = { items: 12, domains: 2, modalities: [{ name: 'text', dim: 5 }] };

describe('params', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('creates every variable in name order with its layout shape, the same for the same seed', () => {
    const a = createParams(config, shape, createRng(5));
    const b = createParams(config, shape, createRng(5));
    const specs = paramSpecs(config, shape);
    expect([...a.keys()]).toEqual(specs.map((s) => s.name));
    expect([...a.keys()]).toEqual([...a.keys()].sort());
    specs.forEach((s) => expect(a.get(s.name)!.shape).toEqual(s.shape));
    for (const [name, v] of a) expect(Array.from(v.dataSync())).toEqual(Array.from(b.get(name)!.dataSync()));
    tf.dispose([...a.values(), ...b.values()]);
  });

  it('the tree and the flat view hold the same variables under the layout names, in name order', () => {
    const flat = createParams(config, shape, createRng(1));
    const shuffled = new Map([...flat].reverse());
    const tree = paramTree(config, shape, shuffled);
    expect(tree.item.id).toBe(flat.get('item.id'));
    expect(tree.item.proj['text']!.w).toBe(flat.get('item.proj.text.w'));
    expect(tree.views[2]!.blocks[0]!.wq).toBe(flat.get('enc.mixed.b0.wq'));
    expect(tree.domain!.q).toBe(flat.get('dom.q'));
    const names = paramLeaves(paramLayout(config, shape)).map((s) => s.name);
    paramLeaves(tree).forEach((v, i) => expect(v).toBe(flat.get(names[i]!)));
    const named = namedParams(config, shape, tree);
    expect([...named]).toEqual([...flat]);
    tf.dispose([...flat.values()]);
  });

  it('refuses variables that do not fit the config, naming each problem', () => {
    const flat = createParams(config, shape, createRng(1));
    const broken = new Map(flat);
    broken.delete('dom.q');
    broken.set('enc.mixed.pos', tf.variable(tf.zeros([5, 4])));
    broken.set('enc.mixed.b1.wq', tf.variable(tf.zeros([4, 4])));
    expect(() => paramTree(config, shape, broken)).toThrow(WeightsFormatError);
    expect(() => paramTree(config, shape, broken)).toThrow(/missing "dom.q".*"enc.mixed.pos" is 5x4, expected 6x4.*unexpected "enc.mixed.b1.wq"/);
    tf.dispose([...flat.values(), broken.get('enc.mixed.pos')!, broken.get('enc.mixed.b1.wq')!]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type HafConfig } from './config.ts';
import { parseManifest } from './manifest.ts';
import { ITEM_ID, ITEM_KNOWN, paramLayout, type ModelShape } from './param-layout.ts';
import { paramSpecs } from './params.ts';

const shape: ModelShape = { items: 12, domains: 2, modalities: [{ name: 'text', dim: 5 }, { name: 'image', dim: 3 }] };
const small = resolveConfig({ dim: 4, blocks: 2, maxLength: 6, attentionDim: 2 });

/** name: shape of every spec, in saved (name) order. */
const described = (config: HafConfig, s: ModelShape): string[] => paramSpecs(config, s).map((p) => `${p.name}: ${p.shape.join('x')}`);

describe('paramLayout', () => {
  // The names are the keys of saved weight files, so they are spelled out here, not derived.
  it('names and shapes the mixed-view model exactly as saved weights do', () => {
    const config = resolveConfig({ ...small, blocks: 1, domainAttention: false });
    expect(described(config, { ...shape, modalities: [{ name: 'text', dim: 5 }] })).toEqual([
      'enc.mixed.b0.ff1.b: 4',
      'enc.mixed.b0.ff1.w: 4x4',
      'enc.mixed.b0.ff2.b: 4',
      'enc.mixed.b0.ff2.w: 4x4',
      'enc.mixed.b0.ln1.b: 4',
      'enc.mixed.b0.ln1.g: 4',
      'enc.mixed.b0.ln2.b: 4',
      'enc.mixed.b0.ln2.g: 4',
      'enc.mixed.b0.wk: 4x4',
      'enc.mixed.b0.wo: 4x4',
      'enc.mixed.b0.wq: 4x4',
      'enc.mixed.b0.wv: 4x4',
      'enc.mixed.lnf.b: 4',
      'enc.mixed.lnf.g: 4',
      'enc.mixed.pos: 6x4',
      'item.att.b: 2',
      'item.att.q: 2',
      'item.att.w: 4x2',
      'item.id: 13x4',
      'item.proj.text.b: 4',
      'item.proj.text.w: 5x4',
    ]);
  });

  it('has the encoders, modality attention and domain attention each config needs', () => {
    const parts = (partial: Partial<HafConfig>) => {
      const tree = paramLayout(resolveConfig({ ...small, ...partial }), shape);
      return { views: tree.views.map((e) => e?.pos.name ?? null), proj: Object.keys(tree.item.proj), att: tree.item.att !== undefined, domain: tree.domain?.bias.shape };
    };
    expect(parts({})).toEqual({ views: ['enc.d0.pos', 'enc.d1.pos', 'enc.mixed.pos'], proj: ['text', 'image'], att: true, domain: [2, 3] });
    expect(parts({ domainAttention: false })).toMatchObject({ views: [null, null, 'enc.mixed.pos'], domain: undefined });
    expect(parts({ singleDomain: true })).toMatchObject({ views: ['enc.d0.pos', 'enc.d1.pos', null], domain: undefined });
    expect(parts({ modalityAttention: false })).toMatchObject({ proj: ['text', 'image'], att: false });
    expect(parts({ idOnly: true })).toMatchObject({ proj: [], att: false });
    expect(paramLayout(small, { ...shape, modalities: [] }).item.att).toBeUndefined();
    expect(paramLayout(small, shape).views[1]!.blocks.map((b) => b.ff2.w.name)).toEqual(['enc.d1.b0.ff2.w', 'enc.d1.b1.ff2.w']);
  });

  // Bundles ship their weights without the ID table (the item vectors replace it).
  for (const [file, stripped] of [['public/models/haf-food-kitchen', []], ['public/shop/haf', [ITEM_ID]], ['public/shop-clip/haf', [ITEM_ID]]] as const) {
    it(`names, shapes and orders every weight of the shipped ${file}`, () => {
      const json = JSON.parse(readFileSync(new URL(`../../${file}/model.json`, import.meta.url), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[]; userDefinedMetadata: { hafrec: unknown } };
      const manifest = parseManifest(json.userDefinedMetadata.hafrec);
      const saved: ModelShape = { items: manifest.catalog.size, domains: manifest.catalog.domains.length, modalities: manifest.features.map((f) => ({ name: f.modality, dim: f.dim })) };
      const stored = json.weightsManifest.flatMap((g) => g.weights).map((w) => `${w.name}: ${w.shape.join('x')}`);
      const expected = described(manifest.config, saved).filter((line) => !stripped.some((name) => line.startsWith(`${name}:`)));
      expect(stored).toEqual([...expected, `${ITEM_KNOWN}: ${manifest.catalog.size + 1}`]);
    });
  }
});

/**
 * The one place that names the model's parameters and gives their shapes: paramLayout builds,
 * from a config and a catalog shape, the parameter tree with a ParamSpec at every leaf. The
 * names are the keys of saved weight files (read by python/hafrec_torch and by the shipped
 * weights in public/), so they never change: enc.<view>.b<block>.<weight>, item.proj.<modality>.w, ...
 */
import type { HafConfig } from './config.ts';
import type { BlockParams, ItemTowerParams, LayerNormParams, Linear, ParamTree, ViewEncoderParams } from './param-tree.ts';

export interface ModelShape {
  /** Catalog size: item tables have size + 1 rows (row 0 = padding). */
  readonly items: number;
  readonly domains: number;
  /** Content modalities in use and the dimension of each frozen feature vector. */
  readonly modalities: readonly { readonly name: string; readonly dim: number }[];
}

/** query: N(0, 1 / last dimension), for attention query vectors; normal: N(0, 0.05^2). */
export type Init = 'normal' | 'glorot' | 'zeros' | 'ones' | 'query';

export interface ParamSpec {
  /** Saved name, e.g. "enc.mixed.b0.wq". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: Init;
}

/** Saved name of the ID embedding table (item tower). */
export const ITEM_ID = 'item.id';
/** Saved name of the non-trainable [size + 1] mask of items whose ID row was trained; stored beside the parameters. */
export const ITEM_KNOWN = 'item.known';

/** View numbers: 0..K-1 are the domain views, K is the mixed view. */
export const mixedView = (shape: ModelShape): number => shape.domains;
const viewName = (shape: ModelShape, v: number): string => (v === mixedView(shape) ? 'mixed' : `d${v}`);

/** Which view encoders a config needs. */
function activeViews(config: HafConfig, shape: ModelShape): number[] {
  const domainViews = [...Array(shape.domains).keys()];
  if (config.singleDomain) return domainViews;
  if (!config.domainAttention) return [mixedView(shape)];
  return [...domainViews, mixedView(shape)];
}

const spec = (name: string, shape: readonly number[], init: Init): ParamSpec => ({ name, shape, init });
const linear = (name: string, inDim: number, outDim: number): Linear<ParamSpec> => ({
  w: spec(`${name}.w`, [inDim, outDim], 'glorot'),
  b: spec(`${name}.b`, [outDim], 'zeros'),
});
const layerNorm = (name: string, d: number): LayerNormParams<ParamSpec> => ({ g: spec(`${name}.g`, [d], 'ones'), b: spec(`${name}.b`, [d], 'zeros') });

function itemLayout(config: HafConfig, shape: ModelShape): ItemTowerParams<ParamSpec> {
  const d = config.dim;
  const a = config.attentionDim;
  const id = spec(ITEM_ID, [shape.items + 1, d], 'normal');
  if (config.idOnly) return { id, proj: {} };
  const proj = Object.fromEntries(shape.modalities.map((m) => [m.name, linear(`item.proj.${m.name}`, m.dim, d)]));
  if (!config.modalityAttention || shape.modalities.length === 0) return { id, proj };
  return { id, proj, att: { w: spec('item.att.w', [d, a], 'glorot'), b: spec('item.att.b', [a], 'zeros'), q: spec('item.att.q', [a], 'query') } };
}

function blockLayout(name: string, d: number): BlockParams<ParamSpec> {
  const square = (w: string): ParamSpec => spec(`${name}.${w}`, [d, d], 'glorot');
  return {
    ln1: layerNorm(`${name}.ln1`, d),
    wq: square('wq'),
    wk: square('wk'),
    wv: square('wv'),
    wo: square('wo'),
    ln2: layerNorm(`${name}.ln2`, d),
    ff1: linear(`${name}.ff1`, d, d),
    ff2: linear(`${name}.ff2`, d, d),
  };
}

function encoderLayout(config: HafConfig, name: string): ViewEncoderParams<ParamSpec> {
  return {
    pos: spec(`${name}.pos`, [config.maxLength, config.dim], 'normal'),
    blocks: Array.from({ length: config.blocks }, (_, b) => blockLayout(`${name}.b${b}`, config.dim)),
    lnf: layerNorm(`${name}.lnf`, config.dim),
  };
}

/** Name, shape and initializer of every parameter the config needs, as the parameter tree. */
export function paramLayout(config: HafConfig, shape: ModelShape): ParamTree<ParamSpec> {
  const d = config.dim;
  const a = config.attentionDim;
  const k = shape.domains;
  const active = activeViews(config, shape);
  const views = Array.from({ length: k + 1 }, (_, v) => (active.includes(v) ? encoderLayout(config, `enc.${viewName(shape, v)}`) : undefined));
  const item = itemLayout(config, shape);
  if (!config.domainAttention || config.singleDomain) return { item, views };
  const domain = { w: spec('dom.w', [d, a], 'glorot'), b: spec('dom.b', [a], 'zeros'), q: spec('dom.q', [k, a], 'query'), bias: spec('dom.bias', [k, k + 1], 'zeros') };
  return { item, views, domain };
}

/**
 * The model's variables, created from a config, a catalog shape and the feature dimensions.
 * Names are stable strings (they are the keys of the saved weights); order is sorted so
 * the optimizer and the weight files see the same order on every run.
 */
import * as tf from '@tensorflow/tfjs';
import type { HafConfig } from './config.ts';
import { ModelError, WeightsFormatError } from './errors.ts';
import type { Rng } from './rng.ts';

export interface ModelShape {
  /** Catalog size: item tables have size + 1 rows (row 0 = padding). */
  readonly items: number;
  readonly domains: number;
  /** Content modalities in use and the dimension of each frozen feature vector. */
  readonly modalities: readonly { readonly name: string; readonly dim: number }[];
}

export type ParamMap = Map<string, tf.Variable>;

/** View numbers: 0..K-1 are the domain views, K is the mixed view. */
export const mixedView = (shape: ModelShape): number => shape.domains;
export const viewName = (shape: ModelShape, v: number): string => (v === shape.domains ? 'mixed' : `d${v}`);

/** Which view encoders a config needs. */
export function activeViews(config: HafConfig, shape: ModelShape): number[] {
  const domainViews = [...Array(shape.domains).keys()];
  if (config.singleDomain) return domainViews;
  if (!config.domainAttention) return [mixedView(shape)];
  return [...domainViews, mixedView(shape)];
}

type Init = 'normal' | 'glorot' | 'zeros' | 'ones' | 'query';

interface ParamSpec {
  readonly name: string;
  readonly shape: number[];
  readonly init: Init;
}

function initial(spec: ParamSpec, rng: Rng): tf.Tensor {
  const { shape, init } = spec;
  if (init === 'zeros') return tf.zeros(shape);
  if (init === 'ones') return tf.ones(shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const std =
    init === 'glorot' ? Math.sqrt(2 / ((shape[0] as number) + (shape[1] as number))) : init === 'query' ? Math.sqrt(1 / (shape[shape.length - 1] as number)) : 0.05;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
  return tf.tensor(data, shape);
}

/** Name, shape and initializer of every variable a config needs, sorted by name. */
export function paramSpecs(config: HafConfig, shape: ModelShape): ParamSpec[] {
  const d = config.dim;
  const a = config.attentionDim;
  const specs: ParamSpec[] = [{ name: 'item.id', shape: [shape.items + 1, d], init: 'normal' }];
  const add = (name: string, s: number[], init: Init): void => void specs.push({ name, shape: s, init });
  if (!config.idOnly) {
    for (const m of shape.modalities) {
      add(`item.proj.${m.name}.w`, [m.dim, d], 'glorot');
      add(`item.proj.${m.name}.b`, [d], 'zeros');
    }
    if (config.modalityAttention && shape.modalities.length > 0) {
      add('item.att.w', [d, a], 'glorot');
      add('item.att.b', [a], 'zeros');
      add('item.att.q', [a], 'query');
    }
  }
  for (const v of activeViews(config, shape)) {
    const prefix = `enc.${viewName(shape, v)}`;
    add(`${prefix}.pos`, [config.maxLength, d], 'normal');
    for (let b = 0; b < config.blocks; b++) {
      const p = `${prefix}.b${b}`;
      for (const ln of ['ln1', 'ln2']) {
        add(`${p}.${ln}.g`, [d], 'ones');
        add(`${p}.${ln}.b`, [d], 'zeros');
      }
      for (const w of ['wq', 'wk', 'wv', 'wo', 'ff1.w', 'ff2.w']) add(`${p}.${w}`, [d, d], 'glorot');
      add(`${p}.ff1.b`, [d], 'zeros');
      add(`${p}.ff2.b`, [d], 'zeros');
    }
    add(`${prefix}.lnf.g`, [d], 'ones');
    add(`${prefix}.lnf.b`, [d], 'zeros');
  }
  if (config.domainAttention && !config.singleDomain) {
    add('dom.w', [d, a], 'glorot');
    add('dom.b', [a], 'zeros');
    add('dom.q', [shape.domains, a], 'query');
    add('dom.bias', [shape.domains, shape.domains + 1], 'zeros');
  }
  return specs.sort((x, y) => (x.name < y.name ? -1 : 1));
}

/** Every variable the config needs, deterministically initialized from `rng`. */
export function createParams(config: HafConfig, shape: ModelShape, rng: Rng): ParamMap {
  const params: ParamMap = new Map();
  for (const spec of paramSpecs(config, shape)) {
    params.set(spec.name, tf.tidy(() => tf.variable(initial(spec, rng), true, `haf/${spec.name}/${uniqueSuffix()}`)));
  }
  return params;
}

/** Throws unless `params` has exactly the variables (names and shapes) the config needs. */
export function checkParams(config: HafConfig, shape: ModelShape, params: ParamMap): void {
  const specs = paramSpecs(config, shape);
  const problems: string[] = [];
  for (const spec of specs) {
    const got = params.get(spec.name);
    if (!got) problems.push(`missing "${spec.name}"`);
    else if (got.shape.join('x') !== spec.shape.join('x')) problems.push(`"${spec.name}" is ${got.shape.join('x')}, expected ${spec.shape.join('x')}`);
  }
  for (const name of params.keys()) if (!specs.some((s) => s.name === name)) problems.push(`unexpected "${name}"`);
  if (problems.length > 0) throw new WeightsFormatError(`weights do not fit the model config: ${problems.slice(0, 5).join('; ')}`);
}

// Variable names are global in tfjs: two models in one page must not collide.
let counter = 0;
const uniqueSuffix = (): string => String(counter++);

export function param(params: ParamMap, name: string): tf.Variable {
  const v = params.get(name);
  if (!v) throw new ModelError(`internal: parameter "${name}" does not exist in this model`);
  return v;
}

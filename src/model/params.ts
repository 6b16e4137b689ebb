/**
 * The model's variables, created from a config, a catalog shape and the feature dimensions,
 * in two views of the same variables: the typed tree (HafParams) that the forward pass reads,
 * and the flat map by saved name (ParamMap), sorted by name so that the optimizer and the
 * weight files see the same order on every run. Both come from paramLayout, the one owner
 * of names and shapes.
 */
import * as tf from '@tensorflow/tfjs';
import type { HafConfig } from './config.ts';
import { ModelError, WeightsFormatError } from './errors.ts';
import { paramLayout, type ModelShape, type ParamSpec } from './param-layout.ts';
import { mapParams, paramLeaves, type ParamTree } from './param-tree.ts';
import type { Rng } from './rng.ts';

export type ParamMap = Map<string, tf.Variable>;
export type HafParams = ParamTree<tf.Variable>;

const byName = (x: string, y: string): number => (x < y ? -1 : 1);

function initial(spec: ParamSpec, rng: Rng): tf.Tensor {
  const shape = [...spec.shape];
  const { init } = spec;
  if (init === 'zeros') return tf.zeros(shape);
  if (init === 'ones') return tf.ones(shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const std =
    init === 'glorot' ? Math.sqrt(2 / ((shape[0] as number) + (shape[1] as number))) : init === 'query' ? Math.sqrt(1 / (shape[shape.length - 1] as number)) : 0.05;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
  return tf.tensor(data, shape);
}

/** Every parameter the config needs, sorted by saved name. */
export function paramSpecs(config: HafConfig, shape: ModelShape): ParamSpec[] {
  return paramLeaves(paramLayout(config, shape)).sort((x, y) => byName(x.name, y.name));
}

/** Every variable the config needs, by saved name; initialized from `rng` in name order (so a seed always gives the same weights). */
export function createParams(config: HafConfig, shape: ModelShape, rng: Rng): ParamMap {
  const params: ParamMap = new Map();
  for (const spec of paramSpecs(config, shape)) {
    params.set(spec.name, tf.tidy(() => tf.variable(initial(spec, rng), true, `haf/${spec.name}/${uniqueSuffix()}`)));
  }
  return params;
}

/** Throws unless `params` has exactly the variables of `specs` (names and shapes). */
function checkParams(specs: readonly ParamSpec[], params: ReadonlyMap<string, tf.Variable>): void {
  const problems: string[] = [];
  for (const spec of specs) {
    const got = params.get(spec.name);
    if (!got) problems.push(`missing "${spec.name}"`);
    else if (got.shape.join('x') !== spec.shape.join('x')) problems.push(`"${spec.name}" is ${got.shape.join('x')}, expected ${spec.shape.join('x')}`);
  }
  for (const name of params.keys()) if (!specs.some((s) => s.name === name)) problems.push(`unexpected "${name}"`);
  if (problems.length > 0) throw new WeightsFormatError(`weights do not fit the model config: ${problems.slice(0, 5).join('; ')}`);
}

/** The variables of `params` (fresh or loaded) as the tree; throws WeightsFormatError unless they fit the config. */
export function paramTree(config: HafConfig, shape: ModelShape, params: ReadonlyMap<string, tf.Variable>): HafParams {
  checkParams(paramSpecs(config, shape), params);
  return mapParams(paramLayout(config, shape), (spec) => param(params, spec.name));
}

/** The tree's variables by saved name, in name order: the view that weight files, the optimizer and averaging iterate. */
export function namedParams(config: HafConfig, shape: ModelShape, tree: HafParams): ParamMap {
  const specs = paramLeaves(paramLayout(config, shape));
  const variables = paramLeaves(tree);
  if (variables.length !== specs.length) throw new ModelError(`internal: the parameter tree has ${variables.length} variables, the config needs ${specs.length}`);
  return new Map(specs.map((s, i): [string, tf.Variable] => [s.name, variables[i]!]).sort((x, y) => byName(x[0], y[0])));
}

// Variable names are global in tfjs: two models in one page must not collide.
let counter = 0;
const uniqueSuffix = (): string => String(counter++);

/** A variable by saved name (the flat view); forward-pass code reads the tree instead. */
function param(params: ReadonlyMap<string, tf.Variable>, name: string): tf.Variable {
  const v = params.get(name);
  if (!v) throw new ModelError(`internal: parameter "${name}" does not exist in this model`);
  return v;
}

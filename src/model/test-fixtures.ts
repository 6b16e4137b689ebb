/** Tiny catalogs, features and histories for the model's unit tests (fast on cpu). */
import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../catalog/features.ts';
import { createCatalog } from '../catalog/catalog.ts';
import type { Catalog, Sequence } from '../catalog/types.ts';
import type { HafConfig } from './config.ts';

export const TINY: Partial<HafConfig> = { dim: 8, blocks: 1, heads: 2, maxLength: 6, attentionDim: 4, dropout: 0.1 };

/** 12 items: 1..6 domain "a", 7..12 domain "b". */
export function tinyCatalog(name = 'tiny'): Catalog {
  const items = Array.from({ length: 12 }, (_, i) => ({ id: `i${i}`, domain: i < 6 ? 'a' : 'b', title: `item ${i}` }));
  return createCatalog(name, items);
}

/** Text features of dim 4; item 3 has no text (present 0, zero row). */
export function tinyText(catalog: Catalog, encoder = 'test-text-v1'): FeatureTable {
  const dim = 4;
  const vectors = new Float32Array((catalog.size + 1) * dim);
  const present = new Uint8Array(catalog.size + 1);
  for (let i = 1; i <= catalog.size; i++) {
    if (i === 3) continue;
    present[i] = 1;
    for (let j = 0; j < dim; j++) vectors[i * dim + j] = Math.sin(i * (j + 1));
  }
  return { modality: 'text', encoder, dim, vectors, present };
}

/** Histories that alternate domains with a learnable next-item pattern. */
export function tinyTrain(): Sequence[] {
  const out: Sequence[] = [];
  for (let u = 0; u < 24; u++) {
    const items = Array.from({ length: 5 + (u % 3) }, (_, p) => (p % 2 === 0 ? 1 + ((u + p) % 6) : 7 + ((u + p) % 6)));
    out.push({ user: `u${u}`, items: Int32Array.from(items) });
  }
  return out;
}

/** Largest absolute difference between two tensors of one shape. */
export const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

/** Layer norm as the plain composition (tf.moments), autograd for its gradients: the reference. */
export function referenceLayerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-6))), g), b);
}

/** `domains` domains of `perDomain` items each, without content: the shop's sizes for the passes outside tfjs. */
export function wideCatalog(domains: number, perDomain: number): Catalog {
  const items = Array.from({ length: domains * perDomain }, (_, i) => ({ id: `w${i}`, domain: `d${i % domains}`, title: `item ${i}` }));
  return createCatalog(`wide-${domains}x${perDomain}`, items);
}

/** `x` to 7 significant digits: pinned training numbers, exact but for float printing. */
export const round = (x: number): number => Number(x.toPrecision(7));

/** Sum and sum of squares over every weight of a model: a fingerprint of trained weights. */
export async function fingerprint(model: { readonly params: ReadonlyMap<string, tf.Tensor> }): Promise<number[]> {
  let sum = 0;
  let squares = 0;
  for (const v of model.params.values()) {
    for (const x of await v.data()) {
      sum += x;
      squares += x * x;
    }
  }
  return [round(sum), round(squares)];
}

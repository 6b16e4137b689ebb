import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureTable } from '../catalog/features.ts';
import { resolveConfig, type HafConfig } from './config.ts';
import { itemTower, type ItemTowerInputs } from './item-tower.ts';
import type { ItemTowerParams } from './param-tree.ts';
import { createParams, paramTree } from './params.ts';
import { createRng } from './rng.ts';
import { maxDiff, TINY, tinyCatalog, tinyText } from './test-fixtures.ts';

/** The Level-1 formula written plainly: modalities stacked into [M, P, d], tfjs built-ins and autograd. */
function reference(config: HafConfig, params: ItemTowerParams, inputs: ItemTowerInputs, items: tf.Tensor1D): { vectors: tf.Tensor; alpha: tf.Tensor } {
  const parts = [tf.gather(params.id, items)];
  const masks = inputs.content.map((c) => tf.gather(c.present, items));
  for (const c of inputs.content) parts.push(tf.add(tf.matMul(tf.gather(c.vectors, items), params.proj[c.name]!.w), params.proj[c.name]!.b));
  const idMask = tf.maximum(tf.gather(inputs.idKnown, items), tf.sub(1, tf.minimum(tf.addN(masks), 1)));
  const mask = tf.stack([idMask, ...masks], 1); // [M, P]
  const stacked = tf.stack(parts, 1); // [M, P, d]
  let alpha: tf.Tensor;
  if (config.modalityAttention) {
    const h = tf.tanh(tf.add(tf.matMul(tf.reshape(stacked, [-1, config.dim]), params.att!.w), params.att!.b));
    const logits = tf.reshape(tf.sum(tf.mul(h, params.att!.q), 1), mask.shape);
    alpha = tf.softmax(tf.add(logits, tf.mul(tf.sub(1, mask), -1e9)));
  } else {
    alpha = tf.div(mask, tf.sum(mask, 1, true));
  }
  return { vectors: tf.sum(tf.mul(tf.expandDims(alpha, 2), stacked), 1), alpha };
}

describe('itemTower', () => {
  const catalog = tinyCatalog();
  const text = tinyText(catalog);
  // A second modality that items 2 and 5 lack (item 3 lacks text): 0, 1 or 2 content parts per item.
  const image: FeatureTable = {
    modality: 'image',
    encoder: 'test-image-v1',
    dim: 3,
    vectors: Float32Array.from({ length: (catalog.size + 1) * 3 }, (_, i) => Math.cos(i)),
    present: Uint8Array.from({ length: catalog.size + 1 }, (_, i) => (i === 0 || i === 2 || i === 5 ? 0 : 1)),
  };
  let inputs: ItemTowerInputs;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    inputs = {
      content: [text, image].map((f) => ({ name: f.modality, vectors: tf.tensor2d(f.vectors, [catalog.size + 1, f.dim]), present: tf.tensor1d(Float32Array.from(f.present)) })),
      idKnown: tf.tensor1d(Float32Array.from({ length: catalog.size + 1 }, (_, i) => (i % 4 === 0 ? 0 : 1))),
    };
  });

  afterAll(() => {
    for (const c of inputs.content) tf.dispose([c.vectors, c.present]);
    inputs.idKnown.dispose();
  });

  for (const modalityAttention of [true, false]) {
    it(`values, alpha and every parameter gradient match the stacked formula (modalityAttention ${modalityAttention})`, () => {
      const config = resolveConfig({ ...TINY, modalityAttention });
      const shape = { items: catalog.size, domains: 2, modalities: [text, image].map((f) => ({ name: f.modality, dim: f.dim })) };
      const all = createParams(config, shape, createRng(3));
      const params = paramTree(config, shape, all).item;
      const items = tf.tensor1d([1, 2, 3, 4, 5, 8, 12, 3], 'int32');
      const r = tf.randomNormal([8, config.dim], 0, 1, 'float32', 1);
      const loss = (f: typeof reference) => (): tf.Scalar => {
        const out = f(config, params, inputs, items);
        return tf.add(tf.sum(tf.mul(out.vectors, r)), tf.sum(tf.mul(out.alpha!, tf.range(0, 24).reshape([8, 3])))) as tf.Scalar;
      };
      tf.tidy(() => {
        const ours = itemTower(config, params, inputs, items);
        const ref = reference(config, params, inputs, items);
        expect(maxDiff(ours.vectors, ref.vectors)).toBeLessThan(1e-5);
        expect(maxDiff(ours.alpha!, ref.alpha)).toBeLessThan(1e-6);
        const g1 = tf.variableGrads(loss(itemTower as unknown as typeof reference), [...all.values()]).grads;
        const g2 = tf.variableGrads(loss(reference), [...all.values()]).grads;
        expect(Object.keys(g1).sort()).toEqual(Object.keys(g2).sort());
        for (const name of Object.keys(g2)) expect(maxDiff(g1[name]!, g2[name]!)).toBeLessThan(1e-5);
      });
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(loss(itemTower as unknown as typeof reference), [...all.values()]);
      tf.dispose([value, ...Object.values(grads)]);
      tf.dispose(tf.tidy(() => itemTower(config, params, inputs, items).vectors));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([items, r, ...all.values()]);
    });
  }
});

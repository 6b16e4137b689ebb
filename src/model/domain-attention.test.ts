import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { domainAttention } from './domain-attention.ts';
import type { DomainAttentionParams } from './param-tree.ts';
import { maxDiff } from './test-fixtures.ts';

/** Level 3 written plainly with tfjs built-ins and autograd. */
function reference(p: DomainAttentionParams<tf.Tensor>, views: tf.Tensor, mask: tf.Tensor, target: tf.Tensor1D): { user: tf.Tensor; beta: tf.Tensor } {
  const [n, v, d] = views.shape as [number, number, number];
  const h = tf.reshape(tf.tanh(tf.add(tf.matMul(tf.reshape(views, [n * v, d]), p.w), p.b)), [n, v, -1]);
  const q = tf.gather(p.q, target);
  const logits = tf.add(tf.add(tf.sum(tf.mul(h, tf.expandDims(q, 1)), 2), tf.gather(p.bias, target)), tf.mul(tf.sub(1, mask), -1e9));
  const beta = tf.mul(tf.softmax(logits), mask);
  return { user: tf.sum(tf.mul(tf.expandDims(beta, 2), views), 1), beta };
}

describe('domainAttention', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('user, beta and the gradients of views and parameters match the plain formula', () => {
    tf.tidy(() => {
      const params: DomainAttentionParams = {
        w: tf.variable(tf.randomNormal([6, 4], 0, 0.5, 'float32', 1)),
        b: tf.variable(tf.randomNormal([4], 0, 0.5, 'float32', 2)),
        q: tf.variable(tf.randomNormal([2, 4], 0, 1, 'float32', 3)),
        bias: tf.variable(tf.randomNormal([2, 3], 0, 1, 'float32', 4)),
      };
      const views = tf.variable(tf.randomNormal([5, 3, 6], 0, 1, 'float32', 5));
      const mask = tf.tensor2d([[1, 1, 1], [1, 0, 1], [0, 0, 1], [0, 0, 0], [1, 1, 0]]);
      const target = tf.tensor1d([0, 1, 1, 0, 1], 'int32');
      const r = tf.randomNormal([5, 6], 0, 1, 'float32', 6);
      const ours = domainAttention(params, views as tf.Tensor3D, mask, target);
      const ref = reference(params, views, mask, target);
      expect(maxDiff(ours.user, ref.user)).toBeLessThan(1e-5);
      expect(maxDiff(ours.beta, ref.beta)).toBeLessThan(1e-6);
      const all = [...Object.values(params), views];
      const g1 = tf.variableGrads(() => tf.sum(tf.mul(domainAttention(params, views as tf.Tensor3D, mask, target).user, r)) as tf.Scalar, all).grads;
      const g2 = tf.variableGrads(() => tf.sum(tf.mul(reference(params, views, mask, target).user, r)) as tf.Scalar, all).grads;
      for (const name of Object.keys(g2)) expect(maxDiff(g1[name]!, g2[name]!)).toBeLessThan(1e-5);
      tf.dispose([...all]);
    });
  });
});

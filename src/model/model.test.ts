import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBatch } from './batch.ts';
import { createHafModel } from './create.ts';
import { domainAttention, selectView } from './domain-attention.ts';
import { encodeView, type EncoderRun } from './encoder.ts';
import { INFERENCE, type HafModel } from './model.ts';
import { gatherRows } from './ops.ts';
import { mixedView } from './param-layout.ts';
import { HafRecommender } from './recommender.ts';
import { createRng } from './rng.ts';
import type { Batch } from './batch.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';
import { trainStep } from './train-step.ts';
import { train } from './trainer.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const data = { train: tinyTrain(), domainItems: catalog.domainItems, domainOf: catalog.domainOf };
const history = Int32Array.from([1, 7, 2, 8]);

/** Asserts `fn` leaves tf.memory().numTensors unchanged. */
async function noLeak(fn: () => Promise<unknown> | unknown): Promise<void> {
  await fn(); // first call may create lazily cached tensors
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors).toBe(before);
}

describe('HAF model', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('masks a missing modality: alpha is 0 for text where the item has none, and sums to 1', () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const alpha = tf.tidy(() => model.itemVectors(tf.tensor1d([3, 4], 'int32')).alpha!.arraySync());
    expect(alpha[0]![1]).toBe(0);
    expect(alpha[1]![1]).toBeGreaterThan(0);
    for (const row of alpha) expect(row[0]! + row[1]!).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('a training position sees exactly what recommendation sees for that prefix (causal, left-aligned)', () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const all = tf.range(0, catalog.size + 1, 1, 'int32') as tf.Tensor1D;
    const opts = { domainOf: catalog.domainOf, domains: 2, maxLength: 6, identityItems: catalog.size };
    const [trainUser, inferUser] = tf.tidy(() => {
      const vectors = model.itemVectors(all).vectors;
      const t = model.forward(buildBatch([{ history }], opts), vectors, INFERENCE).user; // queries at 0, 1, 2
      const r = model.forward(buildBatch([{ history: history.subarray(0, 2), domain: catalog.domainOf[2]! }], opts), vectors, INFERENCE).user;
      return [t.slice([1, 0], [1, -1]).arraySync(), r.arraySync()];
    });
    trainUser[0]!.forEach((x, i) => expect(x).toBeCloseTo(inferUser[0]![i]!, 5));
    all.dispose();
    model.dispose();
  });

  it('inference encodes only the query positions in the last block, with the values of encoding them all', () => {
    const opts = { domainOf: catalog.domainOf, domains: 2, maxLength: 6, identityItems: catalog.size };
    // Rows of different lengths, one with nothing in domain b, one empty history.
    const requests = [Int32Array.from([1, 7, 2, 8, 3]), Int32Array.from([2, 5]), Int32Array.from([8]), new Int32Array(0)];
    const all = tf.range(0, catalog.size + 1, 1, 'int32') as tf.Tensor1D;
    for (const config of [{}, { heads: 2 }, { domainAttention: false }, { singleDomain: true }, { blocks: 1 }]) {
      const model = createHafModel(catalog, { config: { ...TINY, ...config }, features: [text], train: data.train });
      const batch = buildBatch(requests.map((history, i) => ({ history, domain: i % 2 })), opts);
      tf.tidy(() => {
        const vectors = model.itemVectors(all).vectors;
        const fast = model.forward(batch, vectors, INFERENCE);
        const full = model.forward(batch, vectors, INFERENCE, { allPositions: true });
        expect(fast.attentionRows).toBe('query');
        expect(full.attentionRows).toBe('all');
        const [a, b] = [fast.user.arraySync(), full.user.arraySync()];
        a.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(b[i]![j]!, 5)));
        const mixed = batch.views.length - 1;
        const t = batch.views[mixed]!.length;
        expect(fast.attention.map((a) => a === null)).toEqual(full.attention.map((a) => a === null));
        batch.queryPosition[mixed]!.forEach((p, q) => {
          if (p < 0 || !fast.attention[mixed]) return;
          const quick = fast.attention[mixed]!.slice([q, 0, 0], [1, 1, t]).arraySync();
          const slow = full.attention[mixed]!.slice([q, p - q * t, 0], [1, 1, t]).arraySync();
          quick[0]![0]!.forEach((x, j) => expect(x).toBeCloseTo(slow[0]![0]![j]!, 5));
        });
      });
      model.dispose();
    }
    all.dispose();
  });

  it('forward equals the per-view formulation (stacked views, masks), values and gradients', () => {
    const opts = { domainOf: catalog.domainOf, domains: 2, maxLength: 6 };
    const batch = buildBatch(data.train.slice(0, 6).map((s) => ({ history: s.items })), opts);
    // An empty view: mixed is never empty, so drop domain b's items from one batch.
    const onlyA = buildBatch([{ history: Int32Array.from([1, 2, 3, 4]) }, { history: Int32Array.from([2, 5]) }], opts);
    const run: EncoderRun = { training: true, seed: () => 11 };
    for (const config of [{}, { domainAttention: false }, { singleDomain: true }, { idOnly: true }]) {
      const model = createHafModel(catalog, { config: { ...TINY, ...config }, features: [text], train: data.train });
      for (const b of [batch, onlyA]) {
        const items = tf.tensor1d(b.items, 'int32');
        const weights = tf.randomNormal([b.queryDomain.length, TINY.dim!], 0, 1, 'float32', 3);
        const outcome = (f: () => tf.Tensor2D) => tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(f(), weights)), model.trainable());
          return { value: value.dataSync()[0], user: f().arraySync(), grads: Object.values(grads).map((g) => Array.from(g.dataSync())) };
        });
        const ours = outcome(() => model.forward(b, model.itemVectors(items).vectors, run).user);
        const ref = outcome(() => perViewForward(model, b, model.itemVectors(items).vectors, run));
        expect(ours).toEqual(ref);
        tf.dispose([items, weights]);
      }
      model.dispose();
    }
  });

  it('runs ID-only and with every ablation switch', async () => {
    for (const config of [{ idOnly: true }, { modalityAttention: false }, { domainAttention: false }, { singleDomain: true }]) {
      const model = createHafModel(catalog, { config: { ...TINY, ...config }, features: [text], train: data.train });
      const rec = new HafRecommender(model, catalog);
      const [scores] = await rec.score([{ history, domain: 1 }]);
      expect(scores!.length).toBe(6);
      expect(scores!.every(Number.isFinite)).toBe(true);
      rec.dispose();
    }
  });

  it('training is seeded: same seed, same losses; and the loss goes down', async () => {
    const losses: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train, seed: 7 });
      const result = await train(model, data, { epochs: 6, batchPositions: 32, negatives: 4, seed: 7, learningRate: 0.01 });
      losses.push(result.history.map((h) => h.loss));
      model.dispose();
    }
    expect(losses[0]).toEqual(losses[1]);
    expect(losses[0]!.at(-1)!).toBeLessThan(losses[0]![0]!);
  });

  it('keeps the checkpoint chosen by the validation score', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const scores = [0.5, 0.9, 0.1, 0.2];
    let call = 0;
    const result = await train(model, data, { epochs: 4, batchPositions: 32, negatives: 4, patience: 2, validate: async () => scores[call++]! });
    expect(result.bestEpoch).toBe(2);
    expect(result.epochs).toBe(4);
    model.dispose();
  });

  it("lrSchedule 'plateau' goes back to the best weights and cuts the rate after an epoch that does not improve", async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const scores = [0.5, 0.9, 0.1, 0.2];
    const seen: Float32Array[] = [];
    const validate = async (): Promise<number> => {
      seen.push((await model.params.get('item.id')!.data()) as Float32Array);
      return scores[seen.length - 1]!;
    };
    // lrDecay 0: after the plateau Adam cannot move the weights, so epoch 4 must end on epoch 2's.
    const options = { epochs: 4, batchPositions: 32, negatives: 4, patience: 3, learningRate: 0.01, lrSchedule: 'plateau', lrDecay: 0, validate } as const;
    const result = await train(model, data, options);
    expect(result.history.map((h) => h.learningRate)).toEqual([0.01, 0.01, 0.01, 0]);
    expect(seen[2]).not.toEqual(seen[1]);
    expect(seen[3]).toEqual(seen[1]);
    expect(result.bestEpoch).toBe(2);
    model.dispose();
    const untrained = createHafModel(catalog, { config: TINY });
    await expect(train(untrained, data, { lrSchedule: 'plateau' })).rejects.toThrow(/needs a validate/);
    untrained.dispose();
  });

  it('explains with all three levels', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const rec = new HafRecommender(model, catalog);
    const e = await rec.explainAttention(history, 1);
    expect(e.modality.map((m) => m.item)).toEqual(Array.from(history));
    expect(Object.keys(e.modality[0]!.weights)).toEqual(['id', 'text']);
    expect(e.positions.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 4);
    expect(Object.keys(e.views).sort()).toEqual(['a', 'b', 'mixed']);
    expect(Object.values(e.views).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 4);
    rec.dispose();
  });

  it('rejects unknown items and domains with typed errors', async () => {
    const rec = new HafRecommender(createHafModel(catalog, { config: TINY }), catalog);
    await expect(rec.score([{ history: Int32Array.from([99]), domain: 0 }])).rejects.toThrow(/unknown item index 99/);
    await expect(rec.score([{ history, domain: 5 }])).rejects.toThrow(/unknown domain/);
    rec.dispose();
  });

  it('recommend returns k items of the domain, best first, never excluded ones', async () => {
    const rec = new HafRecommender(createHafModel(catalog, { config: TINY, features: [text] }), catalog);
    const recs = await rec.recommend(history, 0, 3, new Set([1, 2]));
    expect(recs).toHaveLength(3);
    for (const r of recs) expect([3, 4, 5, 6]).toContain(r.item);
    expect(recs[0]!.score).toBeGreaterThanOrEqual(recs[2]!.score);
    rec.dispose();
  });

  it('leaks no tensors in any public method', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const rec = new HafRecommender(model, catalog, { ownsModel: false });
    const optimizer = tf.train.adam(0.01);
    const rng = createRng(1);
    await noLeak(() => rec.score([{ history, domain: 0 }, { history, domain: 1, candidates: Int32Array.from([7, 9]) }]));
    await noLeak(() => rec.recommend(history, 1, 2));
    await noLeak(() => rec.explainAttention(history, 0));
    await noLeak(() => rec.explainAttention(new Int32Array(0), 0));
    await noLeak(() => rec.invalidate());
    await noLeak(() => trainStep(model, optimizer, data.train.slice(0, 4).map((s) => ({ history: s.items })), data, { negatives: 4, weightDecay: 1e-4 }, rng));
    await noLeak(() => train(model, data, { epochs: 1, batchPositions: 32, negatives: 4, validate: async () => 0 }));
    optimizer.dispose();
    rec.dispose();
    const before = tf.memory().numTensors;
    createHafModel(catalog, { config: TINY, features: [text] }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

/** The forward pass as first written: each view picked and masked on its own, then tf.stack. */
function perViewForward(model: HafModel, batch: Batch, vectors: tf.Tensor2D, run: EncoderRun): tf.Tensor2D {
  const n = batch.queryDomain.length;
  const d = model.config.dim;
  const total = model.shape.domains + 1;
  const perView: tf.Tensor2D[] = [];
  const masks: tf.Tensor1D[] = [];
  for (let v = 0; v < total; v++) {
    const view = batch.views[v]!;
    const positions = batch.queryPosition[v]!;
    if (view.length === 0 || !model.views.includes(v)) {
      perView.push(tf.zeros([n, d]));
      masks.push(tf.zeros([n]));
      continue;
    }
    const x = tf.reshape(gatherRows(vectors, tf.tensor1d(view.items, 'int32')), [batch.rows, view.length, d]) as tf.Tensor3D;
    const out = encodeView(model.config, model.tree.views[v]!, x, tf.tensor2d(view.mask, [batch.rows, view.length]), run);
    const present = Float32Array.from(positions, (p) => (p >= 0 ? 1 : 0));
    const flat = tf.reshape(out.hidden, [batch.rows * view.length, d]) as tf.Tensor2D;
    const picked = gatherRows(flat, tf.tensor1d(Int32Array.from(positions, (p) => Math.max(p, 0)), 'int32'));
    perView.push(tf.mul(picked, tf.expandDims(tf.tensor1d(present), 1)) as tf.Tensor2D);
    masks.push(tf.tensor1d(present));
  }
  const stacked = tf.stack(perView, 1) as tf.Tensor3D;
  const targets = tf.tensor1d(batch.queryDomain, 'int32');
  if (model.config.singleDomain) return selectView(stacked, tf.oneHot(targets, total).toFloat() as tf.Tensor2D);
  if (!model.config.domainAttention) return perView[mixedView(model.shape)]!;
  return domainAttention(model.tree.domain!, stacked, tf.stack(masks, 1) as tf.Tensor2D, targets).user;
}

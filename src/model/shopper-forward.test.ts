import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HafConfig } from './config.ts';
import { createHafModel } from './create.ts';
import { buildBatch } from './batch.ts';
import { INFERENCE, type HafModel } from './model.ts';
import { takeRows } from './ops.ts';
import { ShopperForward } from './shopper-forward.ts';
import { USERS } from './shopper-forward-layout.ts';
import { HafRecommender } from './recommender.ts';
import { createRng } from './rng.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const ONE_HEAD: Partial<HafConfig> = { ...TINY, dim: 16, heads: 1, blocks: 2 };

/** Histories: empty, one domain only, short, and longer than maxLength (6). */
function histories(): Int32Array[] {
  const rng = createRng(3);
  return [new Int32Array(0), Int32Array.from([2, 5, 1]), ...[1, 4, 6, 9, 14].map((n) => Int32Array.from({ length: n }, () => 1 + rng.int(catalog.size)))];
}

/** Whole-domain scores from tfjs: HafModel.forward over a batch of all requests, then each domain's rows. */
async function tfjsScores(model: HafModel, table: Float32Array, requests: readonly { history: Int32Array; domain: number }[]): Promise<Float32Array[]> {
  const batch = buildBatch(requests, { domainOf: catalog.domainOf, domains: catalog.domains.length, maxLength: model.config.maxLength, identityItems: catalog.size });
  const rows = tf.tidy(() => {
    const vectors = tf.tensor2d(table, [catalog.size + 1, model.config.dim]); // [size + 1, d]
    const user = model.forward(batch, vectors, INFERENCE).user; // [N, d]
    return requests.map((r, i) => tf.sum(tf.mul(takeRows(vectors, tf.tensor1d(catalog.domainItems[r.domain]!, 'int32')), tf.slice(user, [i, 0], [1, -1])), 1));
  });
  const out = await Promise.all(rows.map((x) => x.data() as Promise<Float32Array>));
  tf.dispose(rows);
  return out;
}

/** tfjs's attention for one request: each view's last-block row of its query [t] (undefined: empty view), and beta [V]. */
async function tfjsAttention(model: HafModel, table: Float32Array, request: { history: Int32Array; domain: number }): Promise<{ views: (Float32Array | undefined)[]; beta: Float32Array }> {
  const batch = buildBatch([request], { domainOf: catalog.domainOf, domains: catalog.domains.length, maxLength: model.config.maxLength, identityItems: catalog.size });
  const [beta, ...rows] = tf.tidy(() => {
    const out = model.forward(batch, tf.tensor2d(table, [catalog.size + 1, model.config.dim]), INFERENCE);
    const row = (att: tf.Tensor3D, t: number): tf.Tensor => tf.reshape(tf.slice(att, [0, out.attentionRows === 'query' ? 0 : t - 1, 0], [1, 1, t]), [t]); // [t]
    return [tf.reshape(out.beta!, [-1]), ...batch.views.map((v, i) => (out.attention[i] && v.length > 0 ? row(out.attention[i]!, v.length) : tf.zeros([0])))];
  });
  const data = await Promise.all([beta!, ...rows].map((x) => x.data() as Promise<Float32Array>));
  tf.dispose([beta!, ...rows]);
  return { beta: data[0]!, views: data.slice(1).map((x) => (x.length > 0 ? x : undefined)) };
}

describe('ShopperForward', () => {
  let model: HafModel;
  let rec: HafRecommender;
  beforeAll(() => {
    model = createHafModel(catalog, { config: ONE_HEAD, features: [text], train: tinyTrain() });
    rec = new HafRecommender(model, catalog, { ownsModel: false });
  });
  afterAll(() => {
    rec.dispose();
    model.dispose();
  });

  it("scores every request like tfjs's batched forward pass, to float rounding", async () => {
    const table = (await rec.itemTableData()).vectors;
    const fast = ShopperForward.create(model, catalog, table)!;
    expect(fast).toBeDefined();
    const requests = histories().flatMap((history) => [0, 1].map((domain) => ({ history, domain })));
    const reference = await tfjsScores(model, table, requests);
    const check = (got: Float32Array[], from: number) =>
      got.forEach((scores, i) => {
        expect(scores.length).toBe(catalog.domainItems[requests[from + i]!.domain]!.length);
        scores.forEach((x, j) => expect(x).toBeCloseTo(reference[from + i]![j]!, 5));
      });
    check(fast.score(requests), 0);
    requests.forEach((r, i) => check(fast.score([r]), i));
    // More than one product's users: the requests again, USERS + 6 of them.
    const many = fast.score(Array.from({ length: USERS + 6 }, (_, i) => requests[i % requests.length]!));
    many.forEach((scores, i) => expect(scores).toEqual(fast.score([requests[i % requests.length]!])[0]));
  });

  it("hands back the attention of tfjs's forward pass (each view's query row, the domain attention), to 1e-5, with the same scores", async () => {
    const table = (await rec.itemTableData()).vectors;
    const fast = ShopperForward.create(model, catalog, table)!;
    const requests = histories().flatMap((history) => [0, 1].map((domain) => ({ history, domain })));
    const both = fast.scoreWithAttention(requests);
    expect(both.scores).toEqual(fast.score(requests));
    expect(fast.attention(requests)).toEqual(both.attention);
    for (const [i, r] of requests.entries()) {
      const [got, want] = [both.attention[i]!, await tfjsAttention(model, table, r)];
      expect(got.views.map((v) => v?.length)).toEqual(want.views.map((v) => v?.length));
      got.views.forEach((v, j) => v?.forEach((x, k) => expect(Math.abs(x - want.views[j]![k]!)).toBeLessThan(1e-5)));
      expect(got.beta.length).toBe(want.beta.length);
      got.beta.forEach((x, v) => expect(Math.abs(x - want.beta[v]!)).toBeLessThan(1e-5));
    }
  });

  it("serves HafRecommender's whole-domain requests; a chunk with candidates stays on tfjs", async () => {
    const history = Int32Array.from([1, 8, 2, 9]);
    const table = (await rec.itemTableData()).vectors;
    const [reference] = await tfjsScores(model, table, [{ history, domain: 1 }]);
    const [alone] = await rec.score([{ history, domain: 1 }]);
    alone!.forEach((x, j) => expect(x).toBeCloseTo(reference![j]!, 5));
    const [both] = await rec.scoreWithExplanation([{ history, domain: 1 }]);
    expect(both!.scores).toEqual(alone);
    const candidates = Int32Array.from(catalog.domainItems[1]!);
    const [, picked] = await rec.score([{ history, domain: 0 }, { history, domain: 1, candidates }]);
    picked!.forEach((x, j) => expect(x).toBeCloseTo(reference![j]!, 5));
  });

  it('a whole-domain request runs no tfjs kernel; with shopperForward: false every pass is tfjs', async () => {
    const history = Int32Array.from([1, 8, 2, 9]);
    const plain = new HafRecommender(model, catalog, { ownsModel: false, shopperForward: false });
    try {
      await Promise.all([rec.recommend(history, 1, 3), plain.recommend(history, 1, 3)]);
      expect((await tf.profile(async () => void (await rec.recommend(history, 1, 3)))).kernels).toHaveLength(0);
      expect((await tf.profile(async () => void (await plain.recommend(history, 1, 3)))).kernels.length).toBeGreaterThan(0);
    } finally {
      plain.dispose();
    }
  });

  it('declines models it does not cover (several heads)', async () => {
    const other = createHafModel(catalog, { config: { ...ONE_HEAD, heads: 2 }, features: [text], train: tinyTrain() });
    try {
      expect(ShopperForward.create(other, catalog, new Float32Array((catalog.size + 1) * 16))).toBeUndefined();
    } finally {
      other.dispose();
    }
  });

  it('leaves no tensors behind, through HafRecommender too', async () => {
    const history = Int32Array.from([1, 7, 2, 8, 3, 9, 4]);
    await rec.recommendWithExplanation(history, 0, 3);
    const before = tf.memory().numTensors;
    const fast = ShopperForward.create(model, catalog, (await rec.itemTableData()).vectors)!;
    fast.score([{ history, domain: 1 }]);
    fast.scoreWithAttention([{ history, domain: 0 }]);
    fast.attention([{ history, domain: 1 }]);
    await rec.explainAttention(history, 1);
    await rec.score([{ history, domain: 0 }, { history, domain: 1 }]);
    await rec.recommend(history, 0, 3);
    await rec.recommendWithExplanation(history, 1, 3);
    await rec.scoreWithExplanation([{ history, domain: 0 }]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownDomainError, UnknownItemError } from '../catalog/errors.ts';
import type { HafConfig } from './config.ts';
import { buildBatch } from './batch.ts';
import { createHafModel } from './create.ts';
import { INFERENCE, type HafModel } from './model.ts';
import { HafRecommender, type Explanation } from './recommender.ts';
import { createRng } from './rng.ts';
import { Int8ItemTable } from './int8-item-table.ts';
import { quantizeRows } from './int8-rows.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const train = tinyTrain();

/** Random histories over the whole catalog: empty, short, and longer than maxLength (6). */
function randomHistories(seed: number): Int32Array[] {
  const rng = createRng(seed);
  const lengths = [0, 1, 3, 6, 9, 14];
  return lengths.map((n) => Int32Array.from({ length: n }, () => 1 + rng.int(catalog.size)));
}

/**
 * The explanation computed straight from HafModel, the way explainAttention always did it:
 * Level 1 from an item tower run over the history alone, Levels 2 and 3 from a one-row batch.
 */
async function reference(model: HafModel, history: Int32Array, domain: number): Promise<Explanation> {
  const cut = history.subarray(Math.max(0, history.length - model.config.maxLength));
  const own = model.config.singleDomain ? domain : catalog.domains.length;
  const opts = { domainOf: catalog.domainOf, domains: catalog.domains.length, maxLength: model.config.maxLength, identityItems: catalog.size };
  const batch = buildBatch([{ history: cut, domain }], opts);
  const t = batch.views[own]?.length ?? 0;
  const [alpha, beta, attention] = tf.tidy(() => {
    const table = model.itemVectors(tf.range(0, catalog.size + 1, 1, 'int32') as tf.Tensor1D).vectors;
    // Every position encoded: the full [1, T, T] attention, independent of the query-only path.
    const out = model.forward(batch, table, INFERENCE, { allPositions: true });
    const att = out.attention[own];
    const a = cut.length > 0 ? model.itemVectors(tf.tensor1d(cut, 'int32')).alpha : null;
    return [a ?? tf.zeros([0]), out.beta ?? tf.zeros([0]), att && t > 0 ? tf.reshape(tf.slice(att, [0, t - 1, 0], [1, 1, t]), [t]) : tf.zeros([0])];
  });
  const [a, b, w] = await Promise.all([alpha.data(), beta.data(), attention.data()]);
  tf.dispose([alpha, beta, attention]);
  const names = ['id', ...model.shape.modalities.map((m) => m.name)];
  const modality = Array.from(cut, (item, i) => ({
    item,
    weights: Object.fromEntries(names.map((n, j) => [n, a.length > 0 ? a[i * names.length + j]! : j === 0 ? 1 : 0])),
  }));
  const viewItems = own === catalog.domains.length ? Array.from(cut) : Array.from(cut).filter((i) => catalog.domainOf[i] === domain);
  const label = (v: number): string => (v === catalog.domains.length ? 'mixed' : catalog.domains[v]!);
  return {
    modality,
    positions: viewItems.map((item, i) => ({ item, weight: w[i] ?? 0 })),
    views: b.length > 0 ? Object.fromEntries(Array.from(b, (x, v) => [label(v), x])) : {},
  };
}

/** Equal structure and labels; every weight within 1e-6 (digits 6) or 1e-5 (digits 5). */
function expectSameExplanation(actual: Explanation, expected: Explanation, digits = 6): void {
  expect(actual.modality.map((m) => [m.item, Object.keys(m.weights)])).toEqual(expected.modality.map((m) => [m.item, Object.keys(m.weights)]));
  actual.modality.forEach((m, i) => Object.entries(m.weights).forEach(([n, x]) => expect(x).toBeCloseTo(expected.modality[i]!.weights[n]!, digits)));
  expect(actual.positions.map((p) => p.item)).toEqual(expected.positions.map((p) => p.item));
  actual.positions.forEach((p, i) => expect(p.weight).toBeCloseTo(expected.positions[i]!.weight, digits));
  expect(Object.keys(actual.views)).toEqual(Object.keys(expected.views));
  for (const [v, x] of Object.entries(actual.views)) expect(x).toBeCloseTo(expected.views[v]!, digits);
}

/** What a shopper is shown: history positions by weight (heaviest first) and the heaviest view. */
function reasons(e: Explanation): { positions: number[]; view: string | undefined } {
  const positions = e.positions.map((p, i) => ({ i, w: p.weight })).sort((a, b) => b.w - a.w).map((p) => p.i);
  return { positions, view: Object.entries(e.views).sort((a, b) => b[1] - a[1])[0]?.[0] };
}

const CONFIGS: [string, Partial<HafConfig>][] = [
  ['full HAF', {}],
  ['ID only', { idOnly: true }],
  ['no modality attention', { modalityAttention: false }],
  ['no domain attention', { domainAttention: false }],
  ['single domain', { singleDomain: true }],
];

describe('HafRecommender: recommendations and explanations from one forward pass', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [label, config] of CONFIGS) {
    it(`${label}: recommendWithExplanation equals recommend() and explainAttention()`, async () => {
      const model = createHafModel(catalog, { config: { ...TINY, ...config }, features: [text], train, seed: 11 });
      const rec = new HafRecommender(model, catalog);
      for (const history of randomHistories(3)) {
        for (const domain of [0, 1]) {
          const exclude = new Set(history);
          const both = await rec.recommendWithExplanation(history, domain, 4, exclude);
          expect(both.recommendations).toEqual(await rec.recommend(history, domain, 4, exclude));
          expect(both.explanation).toEqual(await rec.explainAttention(history, domain));
          expectSameExplanation(both.explanation, await reference(model, history, domain));
        }
      }
      rec.dispose();
    });
  }

  it('scoreWithExplanation over a mixed batch (several chunks, candidates) equals score() and explainAttention()', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train, seed: 5 });
    const rec = new HafRecommender(model, catalog, { batchSize: 4 });
    const histories = randomHistories(9);
    const requests = histories.flatMap((history, i) => [
      { history, domain: i % 2 },
      { history, domain: (i + 1) % 2, candidates: Int32Array.from([1, 7, 12, 3]) },
    ]);
    const both = await rec.scoreWithExplanation(requests);
    expect(both.map((b) => b.scores)).toEqual(await rec.score(requests));
    for (const [i, r] of requests.entries()) {
      expectSameExplanation(both[i]!.explanation, await rec.explainAttention(r.history, r.domain));
    }
    rec.dispose();
  });

  it('an int8 item table (the same vectors, quantized) scores and explains a mixed batch like the float table', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train, seed: 7 });
    const float = new HafRecommender(model, catalog, { ownsModel: false, batchSize: 4 });
    const { vectors, alpha } = await float.itemTableData();
    const d = TINY.dim!;
    const rows = (items: Int32Array) => quantizeRows(Float32Array.from(Array.from(items).flatMap((i) => Array.from(vectors.subarray(i * d, (i + 1) * d)))), d);
    const p = alpha!.length / (catalog.size + 1);
    const int8Items = new Int8ItemTable(catalog, { domains: catalog.domainItems.map(rows), alpha: Uint8Array.from(alpha!, (x) => Math.round(x * 255)), modalities: p });
    const int8 = new HafRecommender(model, catalog, { batchSize: 4, int8Items });
    const requests = randomHistories(4).flatMap((history, i) => [{ history, domain: i % 2 }, { history, domain: 0, candidates: Int32Array.from([2, 9, 5]) }]);
    const [a, b] = [await int8.scoreWithExplanation(requests), await float.scoreWithExplanation(requests)];
    a.forEach((one, i) => {
      const scale = Math.max(...Array.from(b[i]!.scores, Math.abs));
      one.scores.forEach((s, j) => expect(Math.abs(s - b[i]!.scores[j]!)).toBeLessThan(0.02 * scale + 1e-6));
      expect(one.explanation.positions.map((x) => x.item)).toEqual(b[i]!.explanation.positions.map((x) => x.item));
      one.explanation.positions.forEach((x, j) => expect(Math.abs(x.weight - b[i]!.explanation.positions[j]!.weight)).toBeLessThan(0.02));
      one.explanation.modality.forEach((m, j) => Object.entries(m.weights).forEach(([n, w]) => expect(Math.abs(w - b[i]!.explanation.modality[j]!.weights[n]!)).toBeLessThanOrEqual(1 / 510 + 1e-6)));
    });
    expect(() => tf.tidy(() => void int8.itemRows(tf.tensor1d([13], 'int32')))).toThrow(UnknownItemError);
    int8.dispose();
    float.dispose();
    model.dispose();
    expect(() => int8Items.scoreDomain(0, new Float32Array(d))).toThrow(/after dispose/);
  });

  // One head, a width in whole tiles: whole-domain requests run the SIMD pass (shopper-explain.ts).
  for (const [label, config] of CONFIGS.slice(0, 3)) {
    it(`${label}, SIMD pass: scoreWithExplanation is score() and explains like the tfjs pass (1e-5, same reasons) without a tfjs kernel`, async () => {
      const model = createHafModel(catalog, { config: { ...TINY, ...config, dim: 16, heads: 1, blocks: 2 }, features: [text], train, seed: 13 });
      const rec = new HafRecommender(model, catalog, { ownsModel: false });
      const plain = new HafRecommender(model, catalog, { ownsModel: false, shopperForward: false });
      const requests = randomHistories(5).flatMap((history) => [0, 1].map((domain) => ({ history, domain })));
      const both = await rec.scoreWithExplanation(requests);
      expect(both.map((b) => b.scores)).toEqual(await rec.score(requests));
      for (const [i, r] of requests.entries()) {
        const [tfjs, one] = [await plain.explainAttention(r.history, r.domain), both[i]!.explanation];
        expect(one).toEqual(await rec.explainAttention(r.history, r.domain));
        expectSameExplanation(one, tfjs, 5);
        expect(reasons(one)).toEqual(reasons(tfjs));
      }
      expect((await tf.profile(async () => void (await rec.scoreWithExplanation(requests.slice(0, 3))))).kernels).toHaveLength(0);
      rec.dispose();
      plain.dispose();
      model.dispose();
    });
  }

  it('rejects bad input with the same typed errors as score()', async () => {
    const rec = new HafRecommender(createHafModel(catalog, { config: TINY, features: [text] }), catalog);
    const history = Int32Array.from([1, 7]);
    await expect(rec.recommendWithExplanation(Int32Array.from([1, 99]), 0, 3)).rejects.toThrow(UnknownItemError);
    await expect(rec.recommendWithExplanation(Int32Array.from([0]), 0, 3)).rejects.toThrow(/unknown item index 0: valid internal indices are 1\.\.12/);
    await expect(rec.recommendWithExplanation(history, 2, 3)).rejects.toThrow(UnknownDomainError);
    await expect(rec.recommendWithExplanation(history, -1, 3)).rejects.toThrow(/unknown domain "-1": valid domains are "a", "b"/);
    await expect(rec.scoreWithExplanation([{ history, domain: 0, candidates: Int32Array.from([13]) }])).rejects.toThrow(UnknownItemError);
    rec.dispose();
    await expect(rec.recommendWithExplanation(history, 0, 3)).rejects.toThrow(/after dispose/);
  });

  describe('tensor leaks', () => {
    let model: HafModel;
    let rec: HafRecommender;
    beforeAll(() => {
      model = createHafModel(catalog, { config: TINY, features: [text], train });
      rec = new HafRecommender(model, catalog, { ownsModel: false, batchSize: 2 });
    });
    afterAll(() => {
      rec.dispose();
      model.dispose();
    });

    /** Asserts `fn` leaves tf.memory().numTensors unchanged (after a first call fills the caches). */
    async function noLeak(fn: () => Promise<unknown>): Promise<void> {
      await fn();
      const before = tf.memory().numTensors;
      await fn();
      expect(tf.memory().numTensors).toBe(before);
    }

    it('recommendWithExplanation and scoreWithExplanation leave no tensors behind', async () => {
      const history = Int32Array.from([1, 7, 2, 8, 3, 9, 4]);
      await noLeak(() => rec.recommendWithExplanation(history, 0, 3));
      await noLeak(() => rec.recommendWithExplanation(new Int32Array(0), 1, 3));
      await noLeak(() => rec.scoreWithExplanation([{ history, domain: 0 }, { history: Int32Array.from([8]), domain: 0 }, { history, domain: 1, candidates: Int32Array.from([7]) }]));
    });

    it('the SIMD pass (one head) scores and explains without leaving tensors behind', async () => {
      const one = createHafModel(catalog, { config: { ...TINY, dim: 16, heads: 1 }, features: [text], train });
      const fast = new HafRecommender(one, catalog);
      const history = Int32Array.from([1, 7, 2, 8, 3, 9, 4]);
      await noLeak(() => fast.scoreWithExplanation([{ history, domain: 0 }, { history: Int32Array.from([8]), domain: 1 }]));
      await noLeak(() => fast.recommendWithExplanation(new Int32Array(0), 1, 3));
      await noLeak(() => fast.explainAttention(history, 1));
      const before = tf.memory().numTensors;
      fast.dispose();
      expect(tf.memory().numTensors).toBeLessThan(before);
    });

    it('a failing call leaves no tensors behind either', async () => {
      await rec.recommendWithExplanation(Int32Array.from([1]), 0, 1);
      const before = tf.memory().numTensors;
      await expect(rec.recommendWithExplanation(Int32Array.from([42]), 0, 1)).rejects.toThrow(UnknownItemError);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('the cached item tables are freed by invalidate() and rebuilt on demand', async () => {
      const before = tf.memory().numTensors;
      rec.invalidate();
      expect(tf.memory().numTensors).toBeLessThan(before);
      await rec.recommendWithExplanation(Int32Array.from([2, 8]), 1, 2);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

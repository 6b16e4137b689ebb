import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HafConfig } from './config.ts';
import { createHafModel } from './create.ts';
import type { HafModel } from './model.ts';
import { OneShopperForward } from './one-shopper-forward.ts';
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

describe('OneShopperForward', () => {
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
    const fast = OneShopperForward.create(model, catalog, (await rec.itemTableData()).vectors)!;
    expect(fast).toBeDefined();
    const requests = histories().flatMap((history) => [0, 1].map((domain) => ({ history, domain })));
    // Two requests or more take tfjs's batch path: the reference.
    const reference = await rec.score(requests);
    requests.forEach((r, i) => {
      const got = fast.score(r.history, r.domain);
      expect(got.length).toBe(catalog.domainItems[r.domain]!.length);
      got.forEach((x, j) => expect(x).toBeCloseTo(reference[i]![j]!, 5));
    });
  });

  it('serves a lone whole-domain request of HafRecommender, and not candidates', async () => {
    const history = Int32Array.from([1, 8, 2, 9]);
    const [batched] = await rec.score([{ history, domain: 1 }, { history, domain: 0 }]);
    const [alone] = await rec.score([{ history, domain: 1 }]);
    alone!.forEach((x, j) => expect(x).toBeCloseTo(batched![j]!, 5));
    const [both] = await rec.scoreWithExplanation([{ history, domain: 1 }]);
    expect(both!.scores).toEqual(alone);
    const candidates = Int32Array.from([7, 9]);
    const [picked] = await rec.score([{ history, domain: 1, candidates }]);
    expect(picked!.length).toBe(2);
  });

  it('declines models it does not cover (several heads)', async () => {
    const other = createHafModel(catalog, { config: { ...ONE_HEAD, heads: 2 }, features: [text], train: tinyTrain() });
    try {
      expect(OneShopperForward.create(other, catalog, new Float32Array((catalog.size + 1) * 16))).toBeUndefined();
    } finally {
      other.dispose();
    }
  });

  it('leaves no tensors behind, through HafRecommender too', async () => {
    const history = Int32Array.from([1, 7, 2, 8, 3, 9, 4]);
    await rec.recommendWithExplanation(history, 0, 3);
    const before = tf.memory().numTensors;
    OneShopperForward.create(model, catalog, (await rec.itemTableData()).vectors)!.score(history, 1);
    await rec.recommend(history, 0, 3);
    await rec.recommendWithExplanation(history, 1, 3);
    await rec.scoreWithExplanation([{ history, domain: 0 }]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

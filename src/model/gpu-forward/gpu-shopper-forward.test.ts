import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topK } from '../../eval/top-k.ts';
import type { HafConfig } from '../config.ts';
import { createHafModel } from '../create.ts';
import { DeviceLostError } from '../errors.ts';
import type { HafModel } from '../model.ts';
import { HafRecommender } from '../recommender.ts';
import { createRng } from '../rng.ts';
import { ShopperForward, type ShopperAttention } from '../shopper-forward.ts';
import { DEFAULT_CONFIG } from '../config.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain, wideCatalog } from '../test-fixtures.ts';
import { GpuShopperForward, type GpuAttention } from './gpu-shopper-forward.ts';
import { dawnDevice } from './test-fixtures.ts';

const { device, reason } = await dawnDevice();
const catalog = tinyCatalog();
const text = tinyText(catalog);
const ONE_HEAD: Partial<HafConfig> = { ...TINY, dim: 16, heads: 1, blocks: 2 };

/** Histories: empty, one domain only, short, and longer than maxLength (6). */
function histories(): Int32Array[] {
  const rng = createRng(3);
  return [new Int32Array(0), Int32Array.from([2, 5, 1]), Int32Array.from([9]), ...[1, 4, 6, 9, 14].map((n) => Int32Array.from({ length: n }, () => 1 + rng.int(catalog.size)))];
}

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** The attention of a GPU call against ShopperForward's for the same request: beta [V] and the mixed view's row [t], to 1e-4. */
function expectSameAttention(got: GpuAttention, want: ShopperAttention, label: string, mixed = catalog.domains.length): void {
  expect(got.beta.length, label).toBe(want.beta.length);
  expect(maxDiff(got.beta, want.beta), `${label} beta`).toBeLessThan(1e-4);
  expect(got.positions?.length, `${label} positions`).toBe(want.views[mixed]?.length);
  if (got.positions) expect(maxDiff(got.positions, want.views[mixed]!), `${label} positions`).toBeLessThan(1e-4);
}

describe.skipIf(!device)(`GpuShopperForward on WebGPU (Dawn: ${reason})`, () => {
  let model: HafModel;
  let rec: HafRecommender;
  let cpu: ShopperForward;
  let gpu: GpuShopperForward;
  beforeAll(async () => {
    model = createHafModel(catalog, { config: ONE_HEAD, features: [text], train: tinyTrain() });
    rec = new HafRecommender(model, catalog, { ownsModel: false });
    const table = (await rec.itemTableData()).vectors;
    cpu = ShopperForward.create(model, catalog, table)!;
    gpu = (await GpuShopperForward.create(device!, model, catalog, table))!;
  });
  afterAll(() => {
    gpu?.dispose();
    rec.dispose();
    model.dispose();
  });

  it("scores every domain like ShopperForward, to 1e-4", async () => {
    expect(gpu).toBeDefined();
    for (const history of histories()) {
      for (const domain of [0, 1]) {
        const [want] = cpu.score([{ history, domain }]);
        const got = await gpu.scoreDomain(history, domain);
        expect(got.length).toBe(want!.length);
        expect(maxDiff(got, want!), `history ${history.join(',')} domain ${domain}`).toBeLessThan(1e-4);
      }
    }
  });

  it('finds the top-k of ShopperForward\'s scores on the GPU, excluded items left out, with one submit of five dispatches', async () => {
    for (const history of histories()) {
      const [want] = cpu.score([{ history, domain: 1 }]);
      const exclude = new Set(history);
      const reference = topK(want!, catalog.domainItems[1]!, 4, exclude);
      const before = { ...gpu.counts };
      const got = await gpu.topK(history, 1, 4, exclude);
      expect(gpu.counts.submits - before.submits).toBe(1);
      expect(gpu.counts.dispatches - before.dispatches).toBe(5);
      expect(Array.from(got.items)).toEqual(reference.map((r) => r.item));
      got.scores.forEach((s, i) => expect(Math.abs(s - reference[i]!.score)).toBeLessThan(1e-4));
    }
  });

  it("returns the explanation's attention (domain attention, the mixed view's row) with the scores and the top-k, in the same read-back, like ShopperForward to 1e-4", async () => {
    for (const history of histories()) {
      for (const domain of [0, 1]) {
        const label = `history ${history.join(',')} domain ${domain}`;
        const { scores: want, attention: [why] } = cpu.scoreWithAttention([{ history, domain }]);
        const before = { ...gpu.counts };
        const scored = await gpu.scoreWithAttention(history, domain);
        const best = await gpu.topK(history, domain, 3, new Set(history));
        expect(gpu.counts).toEqual({ calls: before.calls + 2, dispatches: before.dispatches + 8, submits: before.submits + 2, readBacks: before.readBacks + 2 });
        expect(maxDiff(scored.scores, want[0]!), label).toBeLessThan(1e-4);
        expectSameAttention(scored.attention, why!, `${label} scores`);
        expectSameAttention(best.attention, why!, `${label} top-k`);
        expectSameAttention(await gpu.attention(history, domain), why!, `${label} alone`);
        expect(gpu.counts.dispatches - before.dispatches).toBe(10);
      }
    }
  });

  it('answers concurrent calls each with its own scores', async () => {
    const all = histories();
    const got = await Promise.all(all.map((history, i) => gpu.scoreDomain(history, i % 2)));
    got.forEach((scores, i) => expect(maxDiff(scores, cpu.score([{ history: all[i]!, domain: i % 2 }])[0]!)).toBeLessThan(1e-4));
  });

  it('excludes every item of a domain; k beyond the GPU top-k is served on the host', async () => {
    const history = Int32Array.from([1, 8, 2, 9]);
    const exclude = new Set(Array.from({ length: 2000 }, (_, i) => (i % catalog.size) + 1));
    expect((await gpu.topK(history, 0, 3, exclude)).items).toEqual(new Int32Array(0));
    const all = await gpu.topK(history, 0, 10_000);
    expect(all.items.length).toBe(catalog.domainItems[0]!.length);
  });

  it('declines models it does not cover (several heads)', async () => {
    const other = createHafModel(catalog, { config: { ...ONE_HEAD, heads: 2 }, features: [text], train: tinyTrain() });
    try {
      expect(await GpuShopperForward.create(device!, other, catalog, new Float32Array((catalog.size + 1) * 16))).toBeUndefined();
    } finally {
      other.dispose();
    }
  });

  it("matches ShopperForward at the shop's sizes (d 64, 50 positions, 2 blocks, top-k over two chunks)", async () => {
    const wide = wideCatalog(2, 1500);
    const big = createHafModel(wide, { config: { ...DEFAULT_CONFIG, dropout: 0, idOnly: true }, seed: 5 });
    const bigRec = new HafRecommender(big, wide, { ownsModel: false });
    const table = (await bigRec.itemTableData()).vectors;
    const reference = ShopperForward.create(big, wide, table)!;
    const pass = (await GpuShopperForward.create(device!, big, wide, table))!;
    try {
      const rng = createRng(9);
      for (const length of [1, 37, 50, 80]) {
        const history = Int32Array.from({ length }, () => 1 + rng.int(wide.size));
        const { scores: [want], attention: [why] } = reference.scoreWithAttention([{ history, domain: 1 }]);
        const got = await pass.scoreWithAttention(history, 1);
        expect(maxDiff(got.scores, want!)).toBeLessThan(1e-4);
        expectSameAttention(got.attention, why!, `length ${length}`, wide.domains.length);
        // More excluded positions than the request buffer first holds (256): it grows.
        const exclude = new Set([...history, ...wide.domainItems[1]!.subarray(0, 20 * length)]);
        const best = topK(want!, wide.domainItems[1]!, 20, exclude);
        expect(Array.from((await pass.topK(history, 1, 20, exclude)).items)).toEqual(best.map((r) => r.item));
      }
    } finally {
      pass.dispose();
      bigRec.dispose();
      big.dispose();
    }
  });

  it('throws DeviceLostError once its device is lost', async () => {
    const adapter = await navigator.gpu.requestAdapter();
    const own = await adapter!.requestDevice();
    const pass = (await GpuShopperForward.create(own, model, catalog, (await rec.itemTableData()).vectors))!;
    own.destroy();
    await own.lost;
    await expect(pass.scoreDomain(Int32Array.from([1, 2]), 0)).rejects.toBeInstanceOf(DeviceLostError);
    pass.dispose();
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HafConfig } from '../model/config.ts';
import { createHafModel } from '../model/create.ts';
import { GpuShopperForward } from '../model/gpu-forward/gpu-shopper-forward.ts';
import { dawnDevice, explanationGap } from '../model/gpu-forward/test-fixtures.ts';
import type { HafModel } from '../model/model.ts';
import { HafRecommender, type Explanation } from '../model/recommender.ts';
import { ShopperForward } from '../model/shopper-forward.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../model/test-fixtures.ts';
import { onePassHaf } from './haf-one-pass.ts';
import { chooseTagWholeDomain, fusedGpu } from './haf-whole-domain.ts';

/** A navigator.gpu whose adapter says `fallback`; counts what was asked of it. */
function fakeGpu(fallback: boolean | 'throws') {
  const asked = { adapters: 0, devices: 0, destroyed: 0 };
  const device = { destroy: () => void asked.destroyed++ } as unknown as GPUDevice;
  const gpu = {
    requestAdapter: async () => {
      asked.adapters++;
      if (fallback === 'throws') throw new Error('no GPU process');
      return { info: { isFallbackAdapter: fallback }, limits: { maxStorageBufferBindingSize: 1, maxBufferSize: 1 }, requestDevice: async () => (asked.devices++, device) };
    },
  };
  return { gpu, asked, device };
}

describe('fusedGpu', () => {
  it("asks for nothing on 'simd', and finds no device without an adapter or when asking throws", async () => {
    const { gpu, asked } = fakeGpu(false);
    expect(await fusedGpu('simd', gpu)).toEqual({ isFallbackAdapter: false });
    expect(asked.adapters).toBe(0);
    expect(await fusedGpu('fused', { requestAdapter: async () => null })).toEqual({ isFallbackAdapter: false, detail: 'requestAdapter() found none' });
    expect(await fusedGpu('auto', fakeGpu('throws').gpu)).toEqual({ isFallbackAdapter: false, detail: 'asking for a WebGPU device failed: no GPU process' });
  });

  it("requests no device on a fallback adapter under 'auto', one under 'fused'; release destroys it", async () => {
    const { gpu, asked, device } = fakeGpu(true);
    expect(await fusedGpu('auto', gpu)).toEqual({ isFallbackAdapter: true });
    expect(asked.devices).toBe(0);
    const forced = await fusedGpu('fused', gpu);
    expect(forced.device).toBe(device);
    expect(forced.isFallbackAdapter).toBe(true);
    forced.release!();
    expect(asked.destroyed).toBe(1);
  });
});

/** The fused pass's explanation against the SIMD pass's: the same items and labels, weights to 1e-4. */
function expectCloseExplanation(got: Explanation, want: Explanation): void {
  expect(explanationGap(got, want)).toBeLessThan(1e-4);
}

const { device, reason } = await dawnDevice();
const catalog = tinyCatalog();
const ONE_HEAD: Partial<HafConfig> = { ...TINY, dim: 16, heads: 1, blocks: 2 };

describe.skipIf(!device)(`chooseTagWholeDomain on WebGPU (Dawn: ${reason})`, () => {
  let model: HafModel;
  let reference: HafRecommender;
  beforeAll(() => {
    model = createHafModel(catalog, { config: ONE_HEAD, features: [tinyText(catalog)], train: tinyTrain() });
    reference = new HafRecommender(model, catalog, { ownsModel: false });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(() => {
    reference.dispose();
    model.dispose();
  });

  it("forced fused: the tag's one-pass scores and explanations equal the SIMD path's; a lost device shows in the status", async () => {
    const adapter = await navigator.gpu.requestAdapter();
    const own = await adapter!.requestDevice();
    const haf = new HafRecommender(model, catalog, { ownsModel: false });
    try {
      const status = await chooseTagWholeDomain(haf, 'fused', { device: own, isFallbackAdapter: false, release: () => own.destroy() });
      expect(status.current()).toEqual({ path: 'fused', reason: 'requested' });
      const tag = onePassHaf(haf);
      const simd = onePassHaf(reference);
      const history = Int32Array.from([2, 5, 1, 9]);
      const [got] = await tag.scorer.score([{ history, domain: 1 }]);
      const [want] = await simd.scorer.score([{ history, domain: 1 }]);
      got!.forEach((s, i) => expect(Math.abs(s - want![i]!)).toBeLessThan(1e-4));
      expectCloseExplanation(await tag.explanation(history, 1), await simd.explanation(history, 1));
      own.destroy();
      await own.lost;
      expect(await tag.scorer.score([{ history, domain: 1 }])).toEqual([want]);
      expect(status.current()).toMatchObject({ path: 'simd', reason: 'device-lost' });
    } finally {
      haf.dispose();
    }
  });

  it("with the fused pass serving, the tag's whole-domain request is one fused call (one submit) and no SIMD or tfjs attention pass", async () => {
    const adapter = await navigator.gpu.requestAdapter();
    const own = await adapter!.requestDevice();
    const haf = new HafRecommender(model, catalog, { ownsModel: false });
    try {
      await chooseTagWholeDomain(haf, 'fused', { device: own, isFallbackAdapter: false, release: () => own.destroy() });
      const tag = onePassHaf(haf);
      const history = Int32Array.from([2, 5, 1, 9]);
      const want = await onePassHaf(reference).explanation(history, 1);
      const spies = {
        fused: vi.spyOn(GpuShopperForward.prototype, 'scoreWithAttention'),
        fusedAttention: vi.spyOn(GpuShopperForward.prototype, 'attention'),
        submits: vi.spyOn(own.queue, 'submit'),
        simd: [vi.spyOn(ShopperForward.prototype, 'scoreWithAttention'), vi.spyOn(ShopperForward.prototype, 'attention'), vi.spyOn(ShopperForward.prototype, 'score')],
        tfjs: vi.spyOn(model, 'forward'),
      };
      await tag.scorer.score([{ history, domain: 1 }]);
      expectCloseExplanation(await tag.explanation(history, 1), want);
      expect([spies.fused.mock.calls.length, spies.fusedAttention.mock.calls.length, spies.submits.mock.calls.length]).toEqual([1, 0, 1]);
      expect(spies.simd.map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
      expect(spies.tfjs).not.toHaveBeenCalled();
    } finally {
      haf.dispose();
    }
  });

  it("auto times the tag's call on both paths and keeps SIMD where the fused pass is slower (SwiftShader)", async () => {
    const haf = new HafRecommender(model, catalog, { ownsModel: false });
    try {
      const status = await chooseTagWholeDomain(haf, 'auto', { device: device!, isFallbackAdapter: false });
      expect(status.current()).toMatchObject({ path: 'simd', reason: 'not-faster' });
      expect(status.current().timings!.simd).toBeGreaterThan(0);
      expect(haf.fusedActive).toBe(false);
    } finally {
      haf.dispose();
    }
  });
});

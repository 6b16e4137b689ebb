import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HafConfig } from './config.ts';
import { createHafModel } from './create.ts';
import { dawnDevice, explanationGap } from './gpu-forward/test-fixtures.ts';
import type { HafModel } from './model.ts';
import { HafRecommender } from './recommender.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';
import { chooseWholeDomain, probeRequest, type WholeDomainChoice } from './whole-domain-choice.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const ONE_HEAD: Partial<HafConfig> = { ...TINY, dim: 16, heads: 1, blocks: 2 };
const HISTORIES = [Int32Array.from([2, 5, 1]), Int32Array.from([9]), Int32Array.from([1, 4, 6, 9, 12, 3, 8, 2])];

const maxDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let model: HafModel;
let reference: HafRecommender;
beforeAll(() => {
  model = createHafModel(catalog, { config: ONE_HEAD, features: [text], train: tinyTrain() });
  reference = new HafRecommender(model, catalog, { ownsModel: false });
});
afterAll(() => {
  reference.dispose();
  model.dispose();
});

/** A recommender of the shared model, disposed after `run`. */
async function withHaf<T>(run: (haf: HafRecommender) => Promise<T>): Promise<T> {
  const haf = new HafRecommender(model, catalog, { ownsModel: false });
  try {
    return await run(haf);
  } finally {
    haf.dispose();
  }
}

describe('chooseWholeDomain without a GPU', () => {
  it('keeps the SIMD path when asked to, or with no device, and frees the device it was given', async () => {
    let released = 0;
    const release = (): void => void released++;
    await withHaf(async (haf) => {
      expect(await chooseWholeDomain(haf, { isFallbackAdapter: false, release }, { request: 'simd' })).toEqual({ path: 'simd', reason: 'requested' });
      expect(await chooseWholeDomain(haf, { isFallbackAdapter: false, detail: 'none here' }, { request: 'fused' })).toEqual({ path: 'simd', reason: 'no-adapter', detail: 'none here' });
      // A fallback adapter found under 'auto' comes without a device: it was never asked for one.
      expect(await chooseWholeDomain(haf, { isFallbackAdapter: true })).toEqual({ path: 'simd', reason: 'fallback-adapter' });
      expect(haf.fusedActive).toBe(false);
    });
    expect(released).toBe(1);
  });

  it('times a 50-item history over the largest domain', () => {
    const probe = probeRequest(reference);
    expect(probe.history.length).toBe(50);
    expect(probe.history.every((i) => i >= 1 && i <= catalog.size)).toBe(true);
    const sizes = catalog.domainItems.map((items) => items.length);
    expect(sizes[probe.domain]).toBe(Math.max(...sizes));
  });
});

const { device, reason } = await dawnDevice();

describe.skipIf(!device)(`chooseWholeDomain on WebGPU (Dawn: ${reason})`, () => {
  it('forced fused serves scores, top-k and explanations from the fused pass, equal to the SIMD path to 1e-4', async () => {
    await withHaf(async (haf) => {
      expect(await chooseWholeDomain(haf, { device: device!, isFallbackAdapter: false }, { request: 'fused' })).toEqual({ path: 'fused', reason: 'requested' });
      expect(haf.fusedActive).toBe(true);
      for (const history of HISTORIES) {
        for (const domain of [0, 1]) {
          const [want] = await reference.score([{ history, domain }]);
          const [got] = await haf.score([{ history, domain }]);
          expect(maxDiff(got!, want!)).toBeLessThan(1e-4);
          const exclude = new Set(history);
          const best = await reference.recommend(history, domain, 4, exclude);
          const fused = await haf.recommend(history, domain, 4, exclude);
          expect(fused.map((r) => r.item)).toEqual(best.map((r) => r.item));
          fused.forEach((r, i) => expect(Math.abs(r.score - best[i]!.score)).toBeLessThan(1e-4));
        }
      }
      // Explanations come from the fused pass too, equal to the reference's to 1e-4.
      for (const history of HISTORIES) {
        expect(explanationGap(await haf.explainAttention(history, 1), await reference.explainAttention(history, 1))).toBeLessThan(1e-4);
        const [got] = await haf.scoreWithExplanation([{ history, domain: 0 }]);
        const [want] = await reference.scoreWithExplanation([{ history, domain: 0 }]);
        expect(maxDiff(got!.scores, want!.scores)).toBeLessThan(1e-4);
        expect(explanationGap(got!.explanation, want!.explanation)).toBeLessThan(1e-4);
      }
    });
  });

  it('auto never tries a fallback adapter', async () => {
    let released = 0;
    await withHaf(async (haf) => {
      const choice = await chooseWholeDomain(haf, { device: device!, isFallbackAdapter: true, release: () => void released++ });
      expect(choice).toEqual({ path: 'simd', reason: 'fallback-adapter' });
      expect(haf.fusedActive).toBe(false);
    });
    expect(released).toBe(1);
  });

  it('auto keeps the SIMD path when the fused pass measures slower (SwiftShader), with both timings', async () => {
    await withHaf(async (haf) => {
      const choice = await chooseWholeDomain(haf, { device: device!, isFallbackAdapter: false });
      expect(choice.path).toBe('simd');
      expect(choice.reason).toBe('not-faster');
      expect(choice.timings!.fused).toBeGreaterThan(choice.timings!.simd);
      expect(haf.fusedActive).toBe(false);
      const [got] = await haf.score([{ history: HISTORIES[0]!, domain: 0 }]);
      expect(maxDiff(got!, (await reference.score([{ history: HISTORIES[0]!, domain: 0 }]))[0]!)).toBe(0);
    });
  });

  it('auto keeps the fused pass when it measures faster by the margin', async () => {
    await withHaf(async (haf) => {
      const paths: boolean[] = [];
      const work = async (): Promise<void> => {
        paths.push(haf.fusedActive);
        await sleep(haf.fusedActive ? 2 : 20);
      };
      const choice = await chooseWholeDomain(haf, { device: device!, isFallbackAdapter: false }, { work });
      expect(choice.path).toBe('fused');
      expect(choice.reason).toBe('faster');
      expect(choice.timings!.fused).toBeLessThan(choice.timings!.simd);
      expect(paths.slice(0, 4)).toEqual([true, false, true, false]);
      expect(paths.length).toBe(14);
      expect(haf.fusedActive).toBe(true);
    });
  });

  it('a lost device drops the fused pass: that call and later ones come from the SIMD path, no error', async () => {
    const adapter = await navigator.gpu.requestAdapter();
    const own = await adapter!.requestDevice();
    const lost: WholeDomainChoice[] = [];
    await withHaf(async (haf) => {
      await chooseWholeDomain(haf, { device: own, isFallbackAdapter: false, release: () => own.destroy() }, { request: 'fused', onLost: (c) => lost.push(c) });
      expect(haf.fusedActive).toBe(true);
      own.destroy();
      await own.lost;
      const history = HISTORIES[2]!;
      const [got] = await haf.score([{ history, domain: 1 }]);
      expect(maxDiff(got!, (await reference.score([{ history, domain: 1 }]))[0]!)).toBe(0);
      expect(haf.fusedActive).toBe(false);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ path: 'simd', reason: 'device-lost' });
      expect(lost[0]!.detail).toMatch(/lost/);
      expect((await haf.recommend(history, 1, 3)).map((r) => r.item)).toEqual((await reference.recommend(history, 1, 3)).map((r) => r.item));
    });
  });

  it('a lost device met by recommend() falls back too', async () => {
    const adapter = await navigator.gpu.requestAdapter();
    const own = await adapter!.requestDevice();
    await withHaf(async (haf) => {
      await chooseWholeDomain(haf, { device: own, isFallbackAdapter: false }, { request: 'fused' });
      own.destroy();
      await own.lost;
      const history = HISTORIES[0]!;
      expect((await haf.recommend(history, 0, 3)).map((r) => r.item)).toEqual((await reference.recommend(history, 0, 3)).map((r) => r.item));
      expect(haf.fusedActive).toBe(false);
    });
  });
});

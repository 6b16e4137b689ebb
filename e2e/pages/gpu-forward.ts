/**
 * The fused WebGPU pass (GpuShopperForward) against ShopperForward (wasm SIMD) and tfjs's
 * wasm backend, on a tiny model and one of the shop's sizes (d 64, 50 positions, 2 blocks,
 * domains of 1,500 items: top-k over two chunks): publishes the largest score differences,
 * whether the top-k lists agree, how far the attention read back with the top-k (domain
 * attention, the mixed view's row) is from ShopperForward's, and the dispatches, submits and
 * read-backs per recommendation.
 */
import { topK } from '../../src/eval/top-k.ts';
import type { Catalog } from '../../src/catalog/types.ts';
import { selectBackend } from '../../src/model/backend.ts';
import { DEFAULT_CONFIG, type HafConfig } from '../../src/model/config.ts';
import { createHafModel } from '../../src/model/create.ts';
import { GpuShopperForward, type GpuAttention } from '../../src/model/gpu-forward/gpu-shopper-forward.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { createRng } from '../../src/model/rng.ts';
import { ShopperForward, type ShopperAttention } from '../../src/model/shopper-forward.ts';
import { TINY, tinyCatalog, tinyText, wideCatalog } from '../../src/model/test-fixtures.ts';
import { WASM_PATHS } from '../../src/model/wasm-assets.ts';

interface CaseResult {
  readonly name: string;
  readonly requests: number;
  readonly vsShopperForward: number;
  readonly vsTfjs: number;
  readonly topKAgrees: boolean;
  readonly topKScoreDiff: number;
  readonly attentionDiff: number;
  readonly dispatchesPerTopK: number;
  readonly submitsPerTopK: number;
  readonly readBacksPerTopK: number;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

/** The largest difference of the GPU's attention from ShopperForward's (beta [V], the mixed view's row [t]); Infinity when their shapes differ. */
function attentionDiff(got: GpuAttention, want: ShopperAttention, mixed: number): number {
  const row = want.views[mixed];
  if (got.beta.length !== want.beta.length || got.positions?.length !== row?.length) return Infinity;
  return Math.max(maxDiff(got.beta, want.beta), got.positions && row ? maxDiff(got.positions, row) : 0);
}

function histories(catalog: Catalog, lengths: readonly number[]): Int32Array[] {
  const rng = createRng(11);
  return lengths.map((n) => Int32Array.from({ length: n }, () => 1 + rng.int(catalog.size)));
}

async function runCase(device: GPUDevice, name: string, catalog: Catalog, config: Partial<HafConfig>, lengths: readonly number[], withText: boolean): Promise<CaseResult> {
  const model = createHafModel(catalog, { config, features: withText ? [tinyText(catalog)] : [], seed: 5 });
  const tfjs = new HafRecommender(model, catalog, { ownsModel: false, shopperForward: false });
  const table = (await tfjs.itemTableData()).vectors;
  const cpu = ShopperForward.create(model, catalog, table)!;
  const gpu = (await GpuShopperForward.create(device, model, catalog, table))!;
  let vsShopperForward = 0;
  let vsTfjs = 0;
  let topKScoreDiff = 0;
  let topKAgrees = true;
  let attention = 0;
  let requests = 0;
  for (const history of histories(catalog, lengths)) {
    for (let domain = 0; domain < catalog.domains.length; domain++) {
      const got = await gpu.scoreDomain(history, domain);
      const { scores: [fast], attention: [why] } = cpu.scoreWithAttention([{ history, domain }]);
      const [slow] = await tfjs.score([{ history, domain }]);
      vsShopperForward = Math.max(vsShopperForward, maxDiff(got, fast!));
      vsTfjs = Math.max(vsTfjs, maxDiff(got, slow!));
      const want = topK(fast!, catalog.domainItems[domain]!, 10, new Set(history));
      const best = await gpu.topK(history, domain, 10, new Set(history));
      topKAgrees &&= want.map((r) => r.item).join() === Array.from(best.items).join();
      topKScoreDiff = Math.max(topKScoreDiff, maxDiff(best.scores, want.map((r) => r.score)));
      attention = Math.max(attention, attentionDiff(best.attention, why!, catalog.domains.length));
      requests++;
    }
  }
  const before = { ...gpu.counts };
  await gpu.topK(histories(catalog, [30])[0]!, 0, 10);
  const per = (key: keyof typeof before): number => gpu.counts[key] - before[key];
  const result = { name, requests, vsShopperForward, vsTfjs, topKAgrees, topKScoreDiff, attentionDiff: attention, dispatchesPerTopK: per('dispatches'), submitsPerTopK: per('submits'), readBacksPerTopK: per('readBacks') };
  gpu.dispose();
  tfjs.dispose();
  model.dispose();
  return result;
}

async function run(): Promise<unknown> {
  await selectBackend('wasm', { wasmPaths: WASM_PATHS });
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return { error: 'no WebGPU adapter' };
  const device = await adapter.requestDevice();
  const tiny = await runCase(device, 'tiny', tinyCatalog(), { ...TINY, dim: 16, heads: 1, blocks: 2, dropout: 0 }, [0, 1, 3, 6, 9, 14], true);
  const shop = await runCase(device, 'shop-sized', wideCatalog(2, 1500), { ...DEFAULT_CONFIG, dropout: 0, idOnly: true }, [0, 1, 12, 50, 70], false);
  return { adapter: { vendor: adapter.info.vendor, architecture: adapter.info.architecture }, cases: [tiny, shop] };
}

const out = document.getElementById('out');
try {
  if (out) out.textContent = JSON.stringify(await run());
} catch (error) {
  if (out) out.textContent = JSON.stringify({ error: String((error as Error).stack ?? error) });
}
document.body.dataset.ready = 'true';

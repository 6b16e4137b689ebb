/**
 * The fused WebGPU pass (GpuShopperForward) side by side with tfjs-backend-webgpu and
 * ShopperForward (wasm SIMD) on the shipped weights: one recommendation (history 50, top-10
 * of the 27,637-item kitchen domain), the three called in turn, call by call, so that drift
 * (clock, other load) hits them alike. Also what each sends the GPU per recommendation:
 * tfjs's kernels against the fused pass's dispatches and submits.
 */
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../src/catalog/dataset-load.ts';
import { topK } from '../../src/eval/top-k.ts';
import { GpuShopperForward } from '../../src/model/gpu-forward/gpu-shopper-forward.ts';
import { fileHandler, selectNodeBackend } from '../../src/model/node.ts';
import { HafRecommender } from '../../src/model/recommender.ts';
import { ShopperForward } from '../../src/model/shopper-forward.ts';
import { loadHaf } from '../../src/model/weights-io.ts';
import { lexicalFeatures, SHIPPED_WEIGHTS } from '../haf-setup.ts';
import type { Measurement } from './types.ts';

const KITCHEN = 1;
const K = 10;
const NAME = 'haf: one shopper, whole kitchen domain + top-10 (fused WGSL, tfjs webgpu, wasm, alternating)';

async function ownDevice(): Promise<GPUDevice> {
  const adapter = (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  return adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
}

/** `runs` rounds of each call in turn after `warmup` untimed rounds: milliseconds per call, by name. */
async function alternate(calls: Readonly<Record<string, () => Promise<unknown>>>, runs: number, warmup: number): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((name) => [name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const [name, call] of Object.entries(calls)) {
      const start = performance.now();
      await call();
      if (round >= warmup) samples[name]!.push(performance.now() - start);
    }
  }
  return samples;
}

/** `label`: the adapter, as the tables name it. */
export async function fusedMeasurements(runs: number, label: string, log: (message: string) => void): Promise<Measurement[]> {
  await selectNodeBackend('webgpu');
  const d = await loadDataset();
  const { model } = await loadHaf(fileHandler(SHIPPED_WEIGHTS), d.catalog, [lexicalFeatures(d.catalog)]);
  const tfjs = new HafRecommender(model, d.catalog, { ownsModel: false, shopperForward: false });
  const table = (await tfjs.itemTableData()).vectors;
  const wasm = ShopperForward.create(model, d.catalog, table)!;
  const device = await ownDevice();
  const fused = (await GpuShopperForward.create(device, model, d.catalog, table))!;
  const history = d.train.find((s) => s.items.length >= 50)!.items.subarray(0, 50);
  const items = d.catalog.domainItems[KITCHEN]!;
  try {
    const calls = {
      fused: () => fused.topK(history, KITCHEN, K),
      tfjs: () => tfjs.recommend(history, KITCHEN, K),
      wasm: async () => topK(wasm.score([{ history, domain: KITCHEN }])[0]!, items, K),
    };
    const [a, b] = [await calls.fused(), await calls.wasm()];
    log(`fused top-10 ${Array.from(a.items).join() === b.map((r) => r.item).join() ? 'equals' : 'DIFFERS FROM'} ShopperForward's`);
    const samples = await alternate(calls, runs, 5);
    const kernels = (await tf.profile(async () => void (await calls.tfjs()))).kernels.length;
    const before = { ...fused.counts };
    await calls.fused();
    const work = { kernels, dispatches: fused.counts.dispatches - before.dispatches, submits: fused.counts.submits - before.submits, readBacks: fused.counts.readBacks - before.readBacks };
    return report(label, samples, work, `shipped weights; history 50; kitchen = ${items.length.toLocaleString('en-US')} items`);
  } finally {
    fused.dispose();
    device.destroy();
    tfjs.dispose();
    model.dispose();
  }
}

interface GpuWork {
  readonly kernels: number;
  readonly dispatches: number;
  readonly submits: number;
  readonly readBacks: number;
}

function report(label: string, samples: Record<string, number[]>, work: GpuWork, note: string): Measurement[] {
  const perCall = 'haf: GPU work per recommendation (kernels / dispatches)';
  return [
    { name: NAME, backend: `${label} fused WGSL pass`, unit: 'ms', samples: samples.fused!, note },
    { name: NAME, backend: `${label} tfjs-backend-webgpu`, unit: 'ms', samples: samples.tfjs!, note },
    { name: NAME, backend: 'node wasm (ShopperForward)', unit: 'ms', samples: samples.wasm!, note },
    { name: perCall, backend: `${label} tfjs-backend-webgpu`, unit: 'kernels', samples: [work.kernels] },
    { name: perCall, backend: `${label} fused WGSL pass`, unit: 'dispatches', samples: [work.dispatches], note: `${work.submits} submit, ${work.readBacks} read-back` },
  ];
}

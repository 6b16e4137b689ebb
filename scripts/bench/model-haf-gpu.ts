/**
 * HAF on a real GPU from Node: WebGPU through Dawn (the engine inside Chromium, npm package
 * `webgpu`, installed on demand). Same work as model-haf's Node half, plus training with a
 * full in-domain softmax, and the fused WGSL pass beside tfjs-backend-webgpu and wasm
 * (fused-gpu.ts). Where Dawn finds only the software adapter (SwiftShader, e.g. with
 * VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json) only the side-by-side runs,
 * labelled as such: its times are CPU emulation, its kernel and dispatch counts hold anywhere.
 */
import { probeWebGpu } from '../../src/env/webgpu.ts';
import { installNodeWebGpu } from '../../src/model/node-webgpu.ts';
import { selectNodeBackend } from '../../src/model/node.ts';
import { fusedMeasurements } from './fused-gpu.ts';
import { nodeMeasurements } from './model-haf.ts';
import type { Benchmark, Measurement } from './types.ts';

export const modelHafGpuBench: Benchmark = {
  name: 'model-haf-gpu',
  description: 'HAF latency and training throughput on a real GPU through WebGPU (Dawn in Node); skipped without one',
  async run(ctx) {
    if (!(await installNodeWebGpu())) {
      ctx.log('skipped: the optional package "webgpu" (Dawn for Node) is not installed (npm install --no-save webgpu@0.6.2)');
      return [];
    }
    const info = await probeWebGpu();
    if (!info.available) {
      ctx.log('skipped: no GPU adapter');
      return [];
    }
    const label = `node webgpu (Dawn, ${[info.vendor, info.architecture].filter(Boolean).join(' ') || 'gpu'})`;
    if (info.isFallbackAdapter) {
      ctx.log('software fallback adapter only: the fused pass side by side (times are CPU emulation), nothing else');
      return fusedMeasurements(ctx.quick ? 3 : 10, `${label}, software adapter`, ctx.log);
    }
    ctx.log(`adapter: ${label}`);
    const auto = await selectNodeBackend('auto');
    ctx.log(`selectBackend('auto') chose ${auto.backend} (${auto.reason}): ${JSON.stringify(auto.timings)}`);
    const probes: Measurement[] = Object.entries(auto.timings).map(([name, ms]) => ({
      name: `selectBackend('auto') probe (chose ${auto.backend})`,
      backend: name === 'webgpu' ? label : `node ${name}`,
      unit: 'ms',
      samples: [ms],
    }));
    const model = await nodeMeasurements(ctx.quick ? 5 : 30, ctx.quick ? 3 : 10, {
      backend: 'webgpu',
      label,
      trainShapes: [
        { positions: 1024, negatives: 2048 },
        { positions: 2048, negatives: 4096 },
        { positions: 2048, negatives: 'full' },
      ],
    });
    const fused = await fusedMeasurements(ctx.quick ? 10 : 50, label, ctx.log);
    return [...probes, ...model, ...fused];
  },
};

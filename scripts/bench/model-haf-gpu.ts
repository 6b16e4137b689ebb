/**
 * HAF on a real GPU from Node: WebGPU through Dawn (the engine inside Chromium, npm package
 * `webgpu`, installed on demand). Same work as model-haf's Node half, plus training with a
 * full in-domain softmax. Measures nothing (and keeps the last record) where Dawn finds no
 * GPU: the software adapter is not what this benchmark is about.
 */
import { probeWebGpu } from '../../src/env/webgpu.ts';
import { installNodeWebGpu } from '../../src/model/node-webgpu.ts';
import { selectNodeBackend } from '../../src/model/node.ts';
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
    if (!info.available || info.isFallbackAdapter) {
      ctx.log(`skipped: no real GPU adapter (${info.available ? 'software fallback adapter only' : 'none'})`);
      return [];
    }
    const label = `node webgpu (Dawn, ${[info.vendor, info.architecture].filter(Boolean).join(' ') || 'gpu'})`;
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
    return [...probes, ...model];
  },
};

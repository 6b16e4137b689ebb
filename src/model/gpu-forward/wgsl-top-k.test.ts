import { afterAll, describe, expect, it } from 'vitest';
import { topK } from '../../eval/top-k.ts';
import { createRng } from '../rng.ts';
import { uploaded } from './gpu-buffers.ts';
import { dawnDevice } from './test-fixtures.ts';
import { NONE, paramWords, PARAM_WORDS } from './wgsl-common.ts';
import { TOP_K_CHUNK, topKMergeWgsl, topKPartialWgsl } from './wgsl-top-k.ts';

const { device, reason } = await dawnDevice();

/** The two top-k kernels alone over `scores`, excluding `excluded` positions: (position, score) pairs. */
async function gpuTopK(gpu: GPUDevice, scores: Float32Array, k: number, excluded: readonly number[]): Promise<{ item: number; score: number }[]> {
  const { STORAGE, COPY_SRC, UNIFORM, MAP_READ, COPY_DST } = GPUBufferUsage;
  const chunks = Math.ceil(scores.length / TOP_K_CHUNK);
  const params = uploaded(gpu, paramWords({ domain: 0, n: scores.length, tableAt: 0, k, excludeCount: excluded.length, partials: chunks * k }), UNIFORM);
  const input = uploaded(gpu, scores, STORAGE);
  const request = uploaded(gpu, Uint32Array.from(excluded), STORAGE);
  const partial = gpu.createBuffer({ size: chunks * k * 8, usage: STORAGE });
  const best = gpu.createBuffer({ size: k * 8, usage: STORAGE | COPY_SRC });
  const read = gpu.createBuffer({ size: k * 8, usage: MAP_READ | COPY_DST });
  const pipeline = (code: string): GPUComputePipeline => gpu.createComputePipeline({ layout: 'auto', compute: { module: gpu.createShaderModule({ code }), entryPoint: 'main' } });
  const stages: [GPUComputePipeline, GPUBuffer[], number][] = [
    [pipeline(topKPartialWgsl(0)), [input, request, partial, params], chunks],
    [pipeline(topKMergeWgsl()), [partial, best, params], 1],
  ];
  const encoder = gpu.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (const [p, buffers, groups] of stages) {
    pass.setPipeline(p);
    pass.setBindGroup(0, gpu.createBindGroup({ layout: p.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
    pass.dispatchWorkgroups(groups);
  }
  pass.end();
  encoder.copyBufferToBuffer(best, 0, read, 0, k * 8);
  gpu.queue.submit([encoder.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const words = new Uint32Array(read.getMappedRange().slice(0));
  const keys = new Float32Array(words.buffer);
  for (const b of [params, input, request, partial, best, read]) b.destroy();
  return Array.from({ length: k }, (_, i) => ({ item: words[2 * i + 1]!, score: keys[2 * i]! })).filter((r) => r.item !== NONE);
}

describe.skipIf(!device)(`WGSL top-k on WebGPU (Dawn: ${reason})`, () => {
  afterAll(() => device?.destroy());

  it('equals the CPU top-k over many chunks, with ties (to the lower position) and exclusions', async () => {
    const rng = createRng(7);
    // Scores from a few values: many ties, which the order breaks by position as the CPU does.
    const scores = Float32Array.from({ length: 5 * TOP_K_CHUNK + 123 }, () => rng.int(40) / 8 - 2);
    const positions = Int32Array.from(scores, (_, i) => i);
    const excluded = Array.from({ length: 300 }, () => rng.int(scores.length));
    expect(PARAM_WORDS).toBe(8);
    for (const k of [1, 7, 100, 512]) {
      const want = topK(scores, positions, k, new Set(excluded));
      expect(await gpuTopK(device!, scores, k, excluded)).toEqual(want);
    }
  });

  it('returns fewer than k when fewer items remain, and handles one partial chunk', async () => {
    const scores = Float32Array.of(0.5, -1, 3, 3, 2);
    expect(await gpuTopK(device!, scores, 4, [2])).toEqual([{ item: 3, score: 3 }, { item: 4, score: 2 }, { item: 0, score: 0.5 }, { item: 1, score: -1 }]);
    expect(await gpuTopK(device!, scores, 5, [0, 1, 2, 3])).toEqual([{ item: 4, score: 2 }]);
  });
});

/**
 * The fused pass's five compute pipelines, compiled once, and their bind groups (made once,
 * and again only when the request buffer grows).
 */
import type { GpuBuffers } from './gpu-buffers.ts';
import { encoderWgsl, type EncoderShape } from './wgsl-encoder.ts';
import { fuseWgsl, type FuseShape } from './wgsl-fuse.ts';
import { scoreWgsl } from './wgsl-score.ts';
import { topKMergeWgsl, topKPartialWgsl } from './wgsl-top-k.ts';
import { excludeAt } from './wgsl-common.ts';

export const STAGES = ['encode', 'fuse', 'score', 'partial', 'merge'] as const;
export type Stage = (typeof STAGES)[number];

export type Pipelines = Readonly<Record<Stage, GPUComputePipeline>>;
export type BindGroups = Readonly<Record<Stage, GPUBindGroup>>;

export async function compilePipelines(device: GPUDevice, encoder: EncoderShape, fuse: Omit<FuseShape, 'd' | 'views'>): Promise<Pipelines> {
  const sources: Record<Stage, string> = {
    encode: encoderWgsl(encoder),
    fuse: fuseWgsl({ d: encoder.d, views: encoder.views, ...fuse }),
    score: scoreWgsl(encoder.d),
    partial: topKPartialWgsl(excludeAt(encoder.views, encoder.maxLength)),
    merge: topKMergeWgsl(),
  };
  const compiled = await Promise.all(
    STAGES.map((stage) =>
      device.createComputePipelineAsync({
        label: `hafrec-gpu-forward-${stage}`,
        layout: 'auto',
        compute: { module: device.createShaderModule({ label: stage, code: sources[stage] }), entryPoint: 'main' },
      }),
    ),
  );
  return Object.fromEntries(STAGES.map((stage, i) => [stage, compiled[i]!])) as Record<Stage, GPUComputePipeline>;
}

/** Each stage's buffers in binding order. */
function bindings(b: GpuBuffers): Record<Stage, GPUBuffer[]> {
  return {
    encode: [b.weights, b.table, b.request, b.viewAt, b.scratch, b.hidden, b.why],
    fuse: [b.weights, b.request, b.viewAt, b.hidden, b.user, b.params, b.why],
    score: [b.tables, b.user, b.scores, b.params],
    partial: [b.scores, b.request, b.partial, b.params],
    merge: [b.partial, b.best, b.params],
  };
}

export function makeBindGroups(device: GPUDevice, pipelines: Pipelines, b: GpuBuffers): BindGroups {
  const all = bindings(b);
  const group = (stage: Stage): GPUBindGroup =>
    device.createBindGroup({
      label: `hafrec-gpu-forward-${stage}`,
      layout: pipelines[stage].getBindGroupLayout(0),
      entries: all[stage].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  return Object.fromEntries(STAGES.map((stage) => [stage, group(stage)])) as Record<Stage, GPUBindGroup>;
}

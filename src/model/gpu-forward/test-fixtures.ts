/**
 * A WebGPU device for Node tests through Dawn (the optional npm package `webgpu`, see
 * node-webgpu.ts), or the reason there is none. Dawn in Node drives Vulkan; on a machine
 * without a GPU, Chromium's SwiftShader Vulkan driver (shipped with Debian's chromium) is one
 * it accepts, while Debian 12's lavapipe lacks a feature Dawn requires.
 */
import { existsSync } from 'node:fs';
import type { Explanation } from '../explain.ts';
import { installNodeWebGpu } from '../node-webgpu.ts';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface DawnDevice {
  readonly device?: GPUDevice;
  readonly reason: string;
}

export async function dawnDevice(): Promise<DawnDevice> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  if (!(await installNodeWebGpu())) return { reason: 'the optional package "webgpu" (Dawn) is not installed: npm install --no-save webgpu@0.6.2, or HAFREC_DAWN=<path>' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { reason: 'Dawn found no WebGPU adapter (no Vulkan driver it accepts)' };
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize },
  });
  return { device, reason: `${adapter.info.vendor} ${adapter.info.architecture}` };
}

/**
 * The largest difference between two explanations' attention weights (positions, views):
 * the fused pass's against the SIMD pass's. Infinity when their items, labels or modality
 * weights (from the same item table on both paths) differ.
 */
export function explanationGap(got: Explanation, want: Explanation): number {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (!same(got.modality, want.modality) || !same(got.positions.map((p) => p.item), want.positions.map((p) => p.item))) return Infinity;
  if (!same(Object.keys(got.views), Object.keys(want.views))) return Infinity;
  const positions = got.positions.map((p, i) => Math.abs(p.weight - want.positions[i]!.weight));
  const views = Object.entries(got.views).map(([view, weight]) => Math.abs(weight - want.views[view]!));
  return Math.max(0, ...positions, ...views);
}

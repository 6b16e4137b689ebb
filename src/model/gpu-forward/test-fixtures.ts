/**
 * A WebGPU device for Node tests through Dawn (the optional npm package `webgpu`, see
 * node-webgpu.ts), or the reason there is none. Dawn in Node drives Vulkan; on a machine
 * without a GPU, Chromium's SwiftShader Vulkan driver (shipped with Debian's chromium) is one
 * it accepts, while Debian 12's lavapipe lacks a feature Dawn requires.
 */
import { existsSync } from 'node:fs';
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

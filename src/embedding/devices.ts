import { probeWebGpu, type WebGpuInfo } from '../env/webgpu.ts';
import { EmbeddingOptionError } from './errors.ts';
import type { ResolvedDevice } from './progress.ts';

export const DEVICES = ['auto', 'webgpu', 'wasm', 'cpu'] as const;
export type Device = (typeof DEVICES)[number];

export const isNodeRuntime = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string' &&
  typeof (globalThis as { window?: unknown }).window === 'undefined' &&
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';

/**
 * 'auto' picks WebGPU only on a real (non-fallback) adapter: a software adapter such as
 * SwiftShader is correct but far slower than wasm (measured). Node runs ONNX Runtime's native CPU
 * provider; an explicit browser device is honoured as asked and fails loudly if unavailable.
 */
export async function resolveDevice(
  device: Device,
  probe: () => Promise<WebGpuInfo> = () => probeWebGpu(),
): Promise<ResolvedDevice> {
  if (!DEVICES.includes(device)) throw new EmbeddingOptionError('device', device, DEVICES.join(', '));
  const node = isNodeRuntime();
  if (device !== 'auto') {
    if (node && device !== 'cpu') throw new EmbeddingOptionError('device', device, '"auto" or "cpu" in Node');
    if (!node && device === 'cpu') throw new EmbeddingOptionError('device', device, '"auto", "webgpu" or "wasm" in a browser');
    return device;
  }
  if (node) return 'cpu';
  const gpu = await probe();
  return gpu.available && !gpu.isFallbackAdapter ? 'webgpu' : 'wasm';
}

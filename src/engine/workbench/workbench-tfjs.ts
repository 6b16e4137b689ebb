import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice } from '../../model/backend.ts';
import { activeWebGpuDevice, fallBackFromWebGpu, webGpuDeviceGone } from '../../model/device-loss.ts';
import { WASM_PATHS } from '../../model/wasm-assets.ts';
import type { WorkbenchBackend } from './workbench-protocol.ts';

let current: { request: WorkbenchBackend; choice: BackendChoice } | undefined;

/** Selects (once per request kind) the tfjs backend for the demo's worker. */
export async function useBackend(request: WorkbenchBackend): Promise<BackendChoice> {
  if (current?.request === request && tf.getBackend() === current.choice.backend) return current.choice;
  const choice = await selectBackend(request, { wasmPaths: WASM_PATHS });
  current = { request, choice };
  return choice;
}

/** Calls `onLost` with the reason once the active WebGPU device is lost (nothing on other backends). */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  void activeWebGpuDevice()?.lost.then((info) => onLost(`${info.reason}: ${info.message}`));
}

/** After a lost WebGPU device: the first fallback backend that starts (wasm, then cpu). */
export async function recoverFromDeviceLoss(reason: string): Promise<BackendChoice> {
  const choice = await fallBackFromWebGpu({ wasmPaths: WASM_PATHS }, reason);
  current = { request: choice.backend as WorkbenchBackend, choice };
  return choice;
}

export { webGpuDeviceGone };
export { timeMatMul } from '../../model/backend.ts';

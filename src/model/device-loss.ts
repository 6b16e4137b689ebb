/**
 * Surviving a lost WebGPU device (driver reset, GPU process crash, `device.destroy()`): every
 * tensor on it is gone and every read fails, so the backend cannot be reused and the weights
 * cannot be copied off it. `createResilientRecommender` watches the device; when it is lost it
 * switches tfjs to the next backend that starts (wasm, then cpu), rebuilds the recommender
 * there from its source (the weights' URL, IndexedDB, or a seed) and answers the call.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice, type BackendName, type BackendOptions } from './backend.ts';
import { DeviceLostError } from './errors.ts';
import type { Recommender, ScoreRequest } from '../eval/recommender.ts';


/** Backends tried, in order, after WebGPU's device is lost. */
export const FALLBACK_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

/** The GPUDevice of tfjs's active WebGPU backend, if that is the active backend. */
export function activeWebGpuDevice(): GPUDevice | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  return (tf.backend() as unknown as { device?: GPUDevice }).device;
}

export interface ResilientOptions extends BackendOptions {
  /** Builds the recommender on the active backend (called again after a loss). */
  readonly build: () => Promise<Recommender>;
  /** Told which backend took over and why. */
  readonly onFallback?: (choice: BackendChoice, reason: string) => void;
}

export interface ResilientRecommender extends Recommender {
  /** The backend the current recommender runs on. */
  backend(): string;
}

/** A Recommender that falls back to another backend when its WebGPU device is lost. */
export async function createResilientRecommender(options: ResilientOptions): Promise<ResilientRecommender> {
  let inner = await options.build();
  let lost: string | undefined;
  let recovering: Promise<void> | undefined;
  const watch = (): void => {
    void activeWebGpuDevice()?.lost.then((info) => (lost = `${info.reason}: ${info.message}`));
  };
  watch();
  const recover = (reason: string): Promise<void> =>
    (recovering ??= (async () => {
      try {
        inner.dispose();
      } catch {
        // Its tensors lived on the lost device.
      }
      const choice = await fallBackFromWebGpu(options, reason);
      inner = await options.build();
      lost = undefined;
      options.onFallback?.(choice, reason);
    })().finally(() => (recovering = undefined)));
  const call = async <T>(run: (r: Recommender) => Promise<T>): Promise<T> => {
    if (recovering) await recovering;
    if (lost !== undefined) await recover(lost);
    try {
      return await run(inner);
    } catch (error) {
      // A loss is reported asynchronously, often after the failed read that revealed it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (lost === undefined && !(await webGpuDeviceGone())) throw error;
      await recover(lost ?? (error as Error).message);
      return run(inner);
    }
  };
  return {
    get name() {
      return inner.name;
    },
    backend: () => tf.getBackend(),
    score: (requests: readonly ScoreRequest[]) => call((r) => r.score(requests)),
    recommend: (history, domain, k, exclude) => call((r) => r.recommend(history, domain, k, exclude)),
    dispose: () => inner.dispose(),
  };
}

/** True when the active backend is WebGPU and its device no longer answers. */
export async function webGpuDeviceGone(): Promise<boolean> {
  const device = activeWebGpuDevice();
  if (!device) return false;
  const settled = await Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50))]);
  return settled;
}

/** Drops the dead WebGPU backend and selects the first fallback that starts. */
export async function fallBackFromWebGpu(options: BackendOptions, reason: string): Promise<BackendChoice> {
  try {
    tf.removeBackend('webgpu');
  } catch {
    // Disposing a backend whose device is gone may throw; it is unusable either way.
  }
  for (const name of FALLBACK_BACKENDS) {
    try {
      return await selectBackend(name, options);
    } catch {
      // try the next one
    }
  }
  throw new DeviceLostError(`the WebGPU device was lost (${reason}) and none of ${FALLBACK_BACKENDS.join(', ')} could start`);
}

/**
 * One place that picks the tfjs backend. 'auto' prefers WebGPU on a real (non-fallback)
 * adapter; otherwise it times a small matMul on every backend that initializes and keeps
 * the fastest, so the software WebGPU adapter never wins over wasm when wasm is faster.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { probeWebGpu, type WebGpuInfo } from '../env/webgpu.ts';
import { BackendUnavailableError } from './errors.ts';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** Where the wasm binaries are: a folder URL/path ending in '/', or a map file name -> URL. */
  readonly wasmPaths?: string | Record<string, string>;
  /** Backends 'auto' may consider, in tie-break order (default: all). */
  readonly candidates?: readonly BackendName[];
  /** Injected for tests; default probes navigator.gpu. */
  readonly probe?: () => Promise<WebGpuInfo>;
}

export interface BackendChoice {
  readonly backend: BackendName;
  /** Why it was chosen: 'requested', 'real-gpu' or 'fastest'. */
  readonly reason: 'requested' | 'real-gpu' | 'fastest';
  /** Median ms of the timing probe per backend that initialized (empty unless measured). */
  readonly timings: Partial<Record<BackendName, number>>;
  readonly webgpu?: WebGpuInfo;
}

let wasmConfigured = false;

async function register(name: BackendName, options: BackendOptions): Promise<boolean> {
  if (name === 'wasm' && options.wasmPaths !== undefined && !wasmConfigured) {
    setWasmPaths(options.wasmPaths as string);
    wasmConfigured = true;
  }
  if (name === 'webgpu' && !tf.findBackendFactory('webgpu')) {
    if (!(globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) return false;
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!tf.findBackendFactory(name)) return false;
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Median wall time of a 256x256 matMul read back asynchronously on the active backend (works on every backend). */
export async function timeMatMul(): Promise<number> {
  const a = tf.randomUniform([256, 256], 0, 1, 'float32', 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const start = performance.now();
      const c = tf.matMul(a, a);
      await c.data();
      c.dispose();
      times.push(performance.now() - start);
    }
  } finally {
    a.dispose();
  }
  const warm = times.slice(1).sort((x, y) => x - y);
  return warm[Math.floor(warm.length / 2)] as number;
}

/** Sets and returns the tfjs backend; a named backend that cannot start is a typed error. */
export async function selectBackend(request: 'auto' | BackendName = 'auto', options: BackendOptions = {}): Promise<BackendChoice> {
  if (request !== 'auto') {
    if (!(BACKENDS as readonly string[]).includes(request)) {
      throw new BackendUnavailableError(`unknown backend "${String(request)}": valid are auto, ${BACKENDS.join(', ')}`);
    }
    if (!(await register(request, options))) {
      throw new BackendUnavailableError(`backend "${request}" is not available here: try "auto" or one of wasm, cpu`);
    }
    await tf.ready();
    return { backend: request, reason: 'requested', timings: {} };
  }
  const webgpu = await (options.probe ?? probeWebGpu)();
  const candidates = options.candidates ?? BACKENDS;
  if (webgpu.available && !webgpu.isFallbackAdapter && candidates.includes('webgpu') && (await register('webgpu', options))) {
    await tf.ready();
    return { backend: 'webgpu', reason: 'real-gpu', timings: {}, webgpu };
  }
  const timings: Partial<Record<BackendName, number>> = {};
  for (const name of candidates) {
    if (name === 'webgpu' && !webgpu.available) continue;
    if (!(await register(name, options))) continue;
    await tf.ready();
    timings[name] = await timeMatMul();
  }
  const ranked = (Object.entries(timings) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
  const best = ranked[0]?.[0];
  if (!best || !(await register(best, options))) {
    throw new BackendUnavailableError(`no tfjs backend could start (tried ${candidates.join(', ')})`);
  }
  await tf.ready();
  return { backend: best, reason: 'fastest', timings, webgpu };
}

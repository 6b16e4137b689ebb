/**
 * One place that picks the tfjs backend. 'auto' times a model-shaped probe on every backend
 * that initializes and keeps the fastest; WebGPU on a real (non-fallback) adapter is
 * preferred unless another backend is clearly faster (REAL_GPU_MARGIN). Measured, because a
 * real GPU is not always the fast choice: at one shopper the work is a few hundred tiny
 * kernels, and on an H100 through Dawn their dispatch overhead (~70 ms) lost to wasm (~10 ms).
 * The software adapter (SwiftShader) competes like any other backend and never wins by rule.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { probeWebGpu, type WebGpuInfo } from '../env/webgpu.ts';
import { BackendUnavailableError } from './errors.ts';
import { installWasmKernels } from './wasm-kernels.ts';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** Where the wasm binaries are: a folder URL/path ending in '/', or a map file name -> URL. */
  readonly wasmPaths?: string | Record<string, string>;
  /** Backends 'auto' may consider, in tie-break order (default: all). */
  readonly candidates?: readonly BackendName[];
  /** Injected for tests; default probes navigator.gpu. */
  readonly probe?: () => Promise<WebGpuInfo>;
  /** Injected for tests; default timeModelProbe on the active backend (ms). */
  readonly time?: () => Promise<number>;
}

export interface BackendChoice {
  readonly backend: BackendName;
  /** Why: 'requested'; 'real-gpu' (a real adapter within REAL_GPU_MARGIN of the fastest); 'fastest'. */
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
    if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) return false;
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!tf.findBackendFactory(name)) return false;
  try {
    const ok = await tf.setBackend(name);
    // The wasm kernel fixes go in with the backend, so training, scoring and Adam all run on them.
    if (ok && name === 'wasm') installWasmKernels();
    return ok;
  } catch {
    return false;
  }
}

/** A real GPU keeps 'auto' unless another backend is this many times faster on the probe. */
export const REAL_GPU_MARGIN = 1.5;

/**
 * Median wall time of work shaped like one recommendation: a chain of 24 small dependent
 * kernels over [50, 64] (the encoders' shape at one shopper), one [1, 64] x [64, 8192]
 * scoring product and one asynchronous read-back. Per-kernel overhead shows up as it does
 * in the model, which a single large matMul would hide.
 */
export async function timeModelProbe(): Promise<number> {
  const x = tf.randomUniform([50, 64], -1, 1, 'float32', 1);
  const w = tf.randomUniform([64, 64], -0.1, 0.1, 'float32', 2);
  const items = tf.randomUniform([64, 8192], -1, 1, 'float32', 3);
  try {
    return await medianWarmMs(() =>
      tf.tidy(() => {
        let h = x as tf.Tensor2D;
        for (let k = 0; k < 8; k++) h = tf.relu(tf.add(tf.matMul(h, w), 0.01)) as tf.Tensor2D;
        return tf.matMul(tf.slice(h, [49, 0], [1, 64]), items);
      }),
    );
  } finally {
    tf.dispose([x, w, items]);
  }
}

/** Median wall time of a 256x256 matMul read back asynchronously on the active backend (works on every backend). */
export async function timeMatMul(): Promise<number> {
  const a = tf.randomUniform([256, 256], 0, 1, 'float32', 1);
  try {
    return await medianWarmMs(() => tf.matMul(a, a));
  } finally {
    a.dispose();
  }
}

/** Median ms of 5 runs after a warm-up of `work` plus the asynchronous read-back of its result. */
async function medianWarmMs(work: () => tf.Tensor): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const result = work();
    await result.data();
    result.dispose();
    times.push(performance.now() - start);
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
  const timings: Partial<Record<BackendName, number>> = {};
  for (const name of candidates) {
    if (name === 'webgpu' && !webgpu.available) continue;
    if (!(await register(name, options))) continue;
    await tf.ready();
    timings[name] = await (options.time ?? timeModelProbe)();
  }
  const pick = chooseBackend(timings, webgpu);
  if (!pick || !(await register(pick.backend, options))) {
    throw new BackendUnavailableError(`no tfjs backend could start (tried ${candidates.join(', ')})`);
  }
  await tf.ready();
  return { ...pick, timings, webgpu };
}

/** The rule of 'auto' over measured probe times: fastest, but a real GPU within REAL_GPU_MARGIN keeps its place. */
export function chooseBackend(
  timings: Partial<Record<BackendName, number>>,
  webgpu: Pick<WebGpuInfo, 'available' | 'isFallbackAdapter'>,
): { backend: BackendName; reason: 'real-gpu' | 'fastest' } | undefined {
  const ranked = (Object.entries(timings) as [BackendName, number][]).sort((a, b) => a[1] - b[1]);
  const fastest = ranked[0];
  if (!fastest) return undefined;
  const gpu = timings.webgpu;
  if (gpu !== undefined && webgpu.available && !webgpu.isFallbackAdapter && gpu <= fastest[1] * REAL_GPU_MARGIN) {
    return { backend: 'webgpu', reason: 'real-gpu' };
  }
  return { backend: fastest[0], reason: 'fastest' };
}
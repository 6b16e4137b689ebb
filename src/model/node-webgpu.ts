/**
 * WebGPU for Node through Dawn (the WebGPU engine inside Chromium), published on npm as the
 * optional package `webgpu`. It is not a dependency of hafrec: training or benchmarking on a
 * GPU from Node is opt-in (`npm install --no-save webgpu@0.6.2`), the browser needs nothing.
 */
import { BackendUnavailableError } from './errors.ts';

/** The npm package that provides Dawn for Node; env HAFREC_DAWN overrides (a path or name). */
export const DAWN_PACKAGE = 'webgpu';

interface DawnModule {
  readonly create: (flags: string[]) => unknown;
  readonly globals: Record<string, unknown>;
}

let installed = false;

/** Gives this Node process a `navigator.gpu` backed by Dawn; false when `webgpu` is not installed. */
export async function installNodeWebGpu(flags: readonly string[] = []): Promise<boolean> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (installed || nav?.gpu) return true;
  const name = process.env.HAFREC_DAWN ?? DAWN_PACKAGE;
  let dawn: DawnModule;
  try {
    dawn = (await import(/* @vite-ignore */ name)) as DawnModule;
  } catch {
    return false;
  }
  // GPUBufferUsage, GPUShaderStage, ...: tfjs-backend-webgpu reads them as globals.
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([...flags]);
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  installed = true;
  return true;
}

/** installNodeWebGpu, or a typed error that says how to get it. */
export async function requireNodeWebGpu(): Promise<void> {
  if (!(await installNodeWebGpu())) {
    throw new BackendUnavailableError(
      `backend "webgpu" in Node needs the optional package "${DAWN_PACKAGE}" (Dawn): run \`npm install --no-save ${DAWN_PACKAGE}@0.6.2\`, or use --backend wasm`,
    );
  }
}

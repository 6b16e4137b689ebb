/**
 * Browser-only: the `haf` kind's backend, with the tfjs wasm binaries served from the shop's
 * own origin (Vite assets next to the worker's chunks, never a CDN). On a real WebGPU adapter,
 * selectBackend('auto') times WebGPU against wasm and keeps the GPU unless wasm is clearly
 * faster; without one, wasm starts at once. WebGL and cpu are not probed in the tag: on the
 * 2-core box probing them took ~3.7 s of every page view (a fresh worker per page) and neither
 * ever won over wasm (docs/model.md, "Backends").
 */
import { probeWebGpu } from '../env/webgpu.ts';
import { selectBackend, type BackendChoice } from '../model/backend.ts';
import { WASM_PATHS } from '../model/wasm-assets.ts';

let started: Promise<BackendChoice> | undefined;

async function choose(): Promise<BackendChoice> {
  const webgpu = await probeWebGpu();
  if (webgpu.available && !webgpu.isFallbackAdapter) {
    return selectBackend('auto', { wasmPaths: WASM_PATHS, candidates: ['webgpu', 'wasm'], probe: async () => webgpu });
  }
  return selectBackend('wasm', { wasmPaths: WASM_PATHS });
}

export function startBrowserBackend(): Promise<BackendChoice> {
  started ??= choose();
  started.catch(() => (started = undefined));
  return started;
}

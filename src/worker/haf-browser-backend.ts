/**
 * Browser-only: the `haf` kind's backend, chosen by selectBackend('auto') (WebGPU on a real
 * adapter, else the fastest of the rest) with the tfjs wasm binaries served from the shop's
 * own origin (Vite assets next to the worker's chunks, never a CDN).
 */
import { selectBackend, type BackendChoice } from '../model/backend.ts';
import { WASM_PATHS } from '../model/wasm-assets.ts';

let started: Promise<BackendChoice> | undefined;

export function startBrowserBackend(): Promise<BackendChoice> {
  started ??= selectBackend('auto', { wasmPaths: WASM_PATHS });
  started.catch(() => (started = undefined));
  return started;
}

import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendChoice } from '../model/backend.ts';
import type { DemoBackend } from './demo-protocol.ts';

/** tfjs's wasm binaries, emitted by Vite as same-origin assets (never a CDN). */
const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': new URL(wasmPlain, self.location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, self.location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, self.location.href).href,
};

let current: { request: DemoBackend; choice: BackendChoice } | undefined;

/** Selects (once per request kind) the tfjs backend for the demo's worker. */
export async function useBackend(request: DemoBackend): Promise<BackendChoice> {
  if (current?.request === request && tf.getBackend() === current.choice.backend) return current.choice;
  const choice = await selectBackend(request, { wasmPaths: WASM_PATHS });
  current = { request, choice };
  return choice;
}

export { timeMatMul } from '../model/backend.ts';

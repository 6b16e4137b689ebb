import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice } from '../model/backend.ts';
import { WASM_PATHS } from '../model/wasm-assets.ts';
import type { DemoBackend } from './demo-protocol.ts';

let current: { request: DemoBackend; choice: BackendChoice } | undefined;

/** Selects (once per request kind) the tfjs backend for the demo's worker. */
export async function useBackend(request: DemoBackend): Promise<BackendChoice> {
  if (current?.request === request && tf.getBackend() === current.choice.backend) return current.choice;
  const choice = await selectBackend(request, { wasmPaths: WASM_PATHS });
  current = { request, choice };
  return choice;
}

export { timeMatMul } from '../model/backend.ts';

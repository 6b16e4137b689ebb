import { HafrecWorkerClient } from './hafrec-client.ts';
import type { WorkerConfig } from './protocol.ts';

export interface StartEngineOptions {
  /** Names the client's engine (its error messages); the worker itself is named 'hafrec' for devtools. Default 'hafrec'. */
  readonly name?: string;
}

/**
 * Starts the one engine worker for a page that bundles hafrec itself (the demo, or an app
 * built on the package with Vite), behind the tag's own client. `config` names the shop's
 * catalog and model (then `init`, `recommend` and `track` work as in the tag); without it the
 * page opens a dataset through the workbench requests, as the demo does. The worker is
 * dedicated and starts on the first request. The literal `new Worker(new URL(...))` is here so
 * a bundler finds and builds the worker from this call site, in this repo and in node_modules.
 */
export function startEngine(config?: WorkerConfig, options: StartEngineOptions = {}): HafrecWorkerClient {
  // The worker's options stay literal: bundlers read them at build time.
  return new HafrecWorkerClient(() => new Worker(new URL('./hafrec-worker.ts', import.meta.url), { type: 'module', name: 'hafrec' }), config, 'dedicated', options.name ?? 'hafrec');
}

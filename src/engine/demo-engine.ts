import { HafrecWorkerClient } from './hafrec-client.ts';

/**
 * Starts the one engine worker for the demo page, dedicated (one page owns the dataset and its
 * jobs) and bundled by Vite as a module worker, behind the tag's own client: the demo's store
 * sends the tag's `recommend`, its other pages the workbench requests, over one connection.
 */
export function startDemoEngine(): HafrecWorkerClient {
  return new HafrecWorkerClient(
    () => new Worker(new URL('./hafrec-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-demo' }),
    undefined,
    'dedicated',
    'hafrec-demo',
  );
}

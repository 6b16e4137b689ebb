import type { HafrecWorkerClient } from './hafrec-client.ts';
import { startEngine } from './start-engine.ts';

/**
 * Starts the one engine worker for the demo page, dedicated (one page owns the dataset and its
 * jobs), behind the tag's own client: the demo's store sends the tag's `recommend`, its other
 * pages the workbench requests, over one connection.
 */
export function startDemoEngine(): HafrecWorkerClient {
  return startEngine(undefined, { name: 'hafrec-demo' });
}

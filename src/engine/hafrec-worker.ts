/// <reference lib="webworker" />
import { SessionPool } from './engine-sessions.ts';
import { serveEngine } from './engine-serve.ts';
import type { EngineRequest } from './protocol.ts';
import type { RpcCall } from './rpc.ts';

/**
 * The one engine worker: the one place that wires the shopper's store, the store's catalog
 * and a model. It reads history from IndexedDB itself; nothing leaves the device. The same
 * script runs as a SharedWorker (every page of the shop talks to one engine, which outlives a
 * navigation, so the next page finds its model loaded) or as a dedicated worker where shared
 * workers do not exist. The demo runs it too (dedicated): its workbench requests (a bundled
 * dataset: shoppers, ranks, evaluation, training) are served by a chunk loaded on the first
 * of them (engine-serve.ts), so a shop's pages never download it.
 */
const shared = typeof SharedWorkerGlobalScope !== 'undefined' && self instanceof SharedWorkerGlobalScope;
const pool = new SessionPool(self.fetch.bind(self));

if (shared) {
  (self as unknown as SharedWorkerGlobalScope).onconnect = (event: MessageEvent) => {
    const port = event.ports[0]!;
    const onCall = serveEngine(port, pool, shared);
    port.onmessage = (message: MessageEvent<RpcCall<EngineRequest>>) => onCall(message.data);
  };
} else {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const onCall = serveEngine(scope, pool, shared);
  scope.onmessage = (message: MessageEvent<RpcCall<EngineRequest>>) => onCall(message.data);
}

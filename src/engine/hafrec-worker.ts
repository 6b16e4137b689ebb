/// <reference lib="webworker" />
import { EVENTS_PER_HISTORY } from '../store/history-sequence.ts';
import { SessionPool } from './engine-sessions.ts';
import { HafrecWorkerError } from './errors.ts';
import { recommendFromHistory } from './recommend-service.ts';
import { checkRecommendRequest } from './recommend-request.ts';
import type { EngineRequest, EngineResults, WorkerConfig } from './protocol.ts';
import { serveRpc, type RpcCall, type RpcPort } from './rpc.ts';

/**
 * The recommendation worker: the one place that wires the shopper's store, the store's
 * catalog and a model. It reads history from IndexedDB itself; nothing leaves the device.
 * The same script runs as a SharedWorker (every page of the shop talks to one engine, which
 * outlives a navigation, so the next page finds its model loaded) or as a dedicated worker
 * where shared workers do not exist.
 */
const shared = typeof SharedWorkerGlobalScope !== 'undefined' && self instanceof SharedWorkerGlobalScope;
const pool = new SessionPool(self.fetch.bind(self));

/** One page's connection: its configuration, set by its `init`. */
function serve(port: RpcPort): (call: RpcCall<EngineRequest>) => void {
  let config: WorkerConfig | undefined;
  return serveRpc<EngineRequest, never>(port, async (request): Promise<EngineResults[EngineRequest['kind']]> => {
    if (request.kind === 'init') {
      config = request.config;
      const { value, warm } = await pool.open(config);
      return { ...value.info, shared, warm };
    }
    const current = config;
    if (!current) throw new HafrecWorkerError('the worker got "recommend" before "init"');
    const { domain, k } = checkRecommendRequest(request.domain, request.k);
    return pool.use(current, async ({ store, catalog, recommender }) =>
      recommendFromHistory({
        catalog,
        recommender,
        events: await store.events({ limit: EVENTS_PER_HISTORY }),
        domain,
        k,
        baseUrl: current.catalogUrl,
      }),
    );
  });
}

if (shared) {
  (self as unknown as SharedWorkerGlobalScope).onconnect = (event: MessageEvent) => {
    const port = event.ports[0]!;
    const onCall = serve(port);
    port.onmessage = (message: MessageEvent<RpcCall<EngineRequest>>) => onCall(message.data);
  };
} else {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const onCall = serve(scope);
  scope.onmessage = (message: MessageEvent<RpcCall<EngineRequest>>) => onCall(message.data);
}

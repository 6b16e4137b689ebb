/// <reference lib="webworker" />
import { EVENTS_PER_HISTORY } from '../store/history-sequence.ts';
import { toWire } from '../errors/wire.ts';
import { SessionPool } from './engine-sessions.ts';
import { HafrecWorkerError } from './errors.ts';
import { recommendFromHistory } from './recommend-service.ts';
import { checkRecommendRequest } from './recommend-request.ts';
import type { WorkerConfig, WorkerRequest, WorkerResponse } from './protocol.ts';

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
function serve(port: { postMessage(message: WorkerResponse): void }): (request: WorkerRequest) => void {
  let config: WorkerConfig | undefined;
  const handle = async (request: WorkerRequest): Promise<WorkerResponse> => {
    if (request.type === 'init') {
      config = request.config;
      const { value, warm } = await pool.open(config);
      return { id: request.id, ok: true, result: { ...value.info, shared, warm } };
    }
    const current = config;
    if (!current) throw new HafrecWorkerError('the worker got "recommend" before "init"');
    const { domain, k } = checkRecommendRequest(request.domain, request.k);
    const items = await pool.use(current, async ({ store, catalog, recommender }) =>
      recommendFromHistory({
        catalog,
        recommender,
        events: await store.events({ limit: EVENTS_PER_HISTORY }),
        domain,
        k,
        baseUrl: current.catalogUrl,
      }),
    );
    return { id: request.id, ok: true, result: items };
  };
  return (request) => {
    handle(request).then(
      (response) => port.postMessage(response),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: toWire(error) }),
    );
  };
}

if (shared) {
  (self as unknown as SharedWorkerGlobalScope).onconnect = (event: MessageEvent) => {
    const port = event.ports[0]!;
    const onRequest = serve(port);
    port.onmessage = (message: MessageEvent<WorkerRequest>) => onRequest(message.data);
  };
} else {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const onRequest = serve(scope);
  scope.onmessage = (message: MessageEvent<WorkerRequest>) => onRequest(message.data);
}

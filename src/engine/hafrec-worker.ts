/// <reference lib="webworker" />
import { EVENTS_PER_HISTORY } from '../store/history-sequence.ts';
import { SessionPool } from './engine-sessions.ts';
import { HafrecWorkerError } from './errors.ts';
import { recommendFromHistory } from './recommend-service.ts';
import { checkRecommendRequest } from './recommend-request.ts';
import type { EngineProgress, EngineRequest, EngineResults, TagRequest, WorkerConfig } from './protocol.ts';
import { serveRpc, type RpcCall, type RpcJob, type RpcPort } from './rpc.ts';

/**
 * The one engine worker: the one place that wires the shopper's store, the store's catalog
 * and a model. It reads history from IndexedDB itself; nothing leaves the device. The same
 * script runs as a SharedWorker (every page of the shop talks to one engine, which outlives a
 * navigation, so the next page finds its model loaded) or as a dedicated worker where shared
 * workers do not exist. The demo's workbench requests (a bundled dataset: shoppers, ranks,
 * evaluation, training) are served by a chunk loaded on the first of them, so a shop's pages
 * never download it.
 */
const shared = typeof SharedWorkerGlobalScope !== 'undefined' && self instanceof SharedWorkerGlobalScope;
const pool = new SessionPool(self.fetch.bind(self));

const isTagRequest = (request: EngineRequest): request is TagRequest => request.kind === 'init' || request.kind === 'recommend';

/** The workbench chunk, imported once, on the first workbench request. */
let workbench: Promise<typeof import('./workbench/workbench-serve.ts')> | undefined;

/** One page's connection: its configuration, set by its `init`. */
function serve(port: RpcPort): (call: RpcCall<EngineRequest>) => void {
  let config: WorkerConfig | undefined;
  const tag = async (request: TagRequest): Promise<EngineResults[TagRequest['kind']]> => {
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
  };
  return serveRpc<EngineRequest, EngineProgress>(port, async (request, job: RpcJob<EngineProgress>) => {
    if (isTagRequest(request)) return tag(request);
    workbench ??= import('./workbench/workbench-serve.ts');
    return (await workbench).serveWorkbench(request, job);
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

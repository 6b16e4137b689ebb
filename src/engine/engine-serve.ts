import { EVENTS_PER_HISTORY } from '../store/history-sequence.ts';
import type { SessionPool } from './engine-sessions.ts';
import { HafrecWorkerError } from './errors.ts';
import type { EngineProgress, EngineRequest, EngineResults, TagRequest, WorkerConfig } from './protocol.ts';
import { recommendFromHistory } from './recommend-service.ts';
import { checkRecommendRequest } from './recommend-request.ts';
import { serveRpc, type RpcCall, type RpcPort } from './rpc.ts';
import { wholeDomainOf } from './whole-domain-info.ts';

const isTagRequest = (request: EngineRequest): request is TagRequest => request.kind === 'init' || request.kind === 'recommend';

/** The workbench chunk, imported once per worker, on the first workbench request (a shop's pages never send one). */
let workbench: Promise<typeof import('./workbench/workbench-serve.ts')> | undefined;

/**
 * One page's connection to the engine: the tag's requests use its configuration, set by its
 * `init`, and the shop's session in `pool`; the demo's workbench requests go to the workbench.
 */
export function serveEngine(port: RpcPort, pool: SessionPool, shared: boolean): (call: RpcCall<EngineRequest>) => void {
  let config: WorkerConfig | undefined;
  const tag = async (request: TagRequest): Promise<EngineResults[TagRequest['kind']]> => {
    if (request.kind === 'init') {
      config = request.config;
      const { value, warm } = await pool.open(config);
      const wholeDomain = wholeDomainOf(value.recommender);
      return { ...value.info, shared, warm, ...(wholeDomain ? { wholeDomain } : {}) };
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
  return serveRpc<EngineRequest, EngineProgress>(port, async (request, job) => {
    if (isTagRequest(request)) return tag(request);
    workbench ??= import('./workbench/workbench-serve.ts');
    return (await workbench).serveWorkbench(request, job);
  });
}

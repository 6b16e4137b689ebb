import { EVENTS_PER_HISTORY } from '../store/history-sequence.ts';
import type { SessionPool } from './engine-sessions.ts';
import { HafrecWorkerError } from './errors.ts';
import type { EngineProgress, EngineRequest, EngineResults, TagRequest, WorkerConfig } from './protocol.ts';
import { serveRecommendations, type Recommendations } from './recommend-service.ts';
import { checkRecommendRequest } from './recommend-request.ts';
import { serveRpc, type RpcCall, type RpcPort } from './rpc.ts';
import { wholeDomainOf } from './whole-domain-info.ts';
import type { ServingSession, ServingSessions } from './serving-session.ts';
import { isEmbeddingRequest } from './embedding/embedding-protocol.ts';
import type { EmbeddingService } from './embedding/embedding-serve.ts';

const isTagRequest = (request: EngineRequest): request is TagRequest => request.kind === 'init' || request.kind === 'recommend';

/** The workbench chunk, imported once per worker, on the first workbench request (a shop's pages never send one). */
let workbench: Promise<typeof import('./workbench/workbench-serve.ts')> | undefined;
/** The embedding chunk (CLIP through transformers.js), imported once per worker, on the first embedding request. */
let embedding: Promise<typeof import('./embedding/embedding-serve.ts')> | undefined;

/** One checked recommend request on a session: the one path for the tag and the demo (recommend-service.ts). */
export async function recommendOn(session: ServingSession, request: Extract<TagRequest, { kind: 'recommend' }>): Promise<Recommendations> {
  const { domain, k } = request;
  const served = await serveRecommendations({
    catalog: session.catalog,
    recommender: session.recommender,
    events: await session.store.events({ limit: EVENTS_PER_HISTORY }),
    domain,
    k,
    baseUrl: session.baseUrl,
    ...(request.insight ? { insight: true } : {}),
  });
  return session.backend === undefined ? served : { ...served, backend: session.backend };
}

/**
 * One page's connection to the engine: a shop's page is served by the session of its `init`
 * configuration in `pool`; a page that opened a dataset instead (the demo) by the workbench's
 * current model over the demo's store. Workbench requests go to the workbench, embedding
 * requests to this connection's own CLIP model and cache.
 */
export function serveEngine(port: RpcPort, pool: SessionPool, shared: boolean): (call: RpcCall<EngineRequest>) => void {
  let config: WorkerConfig | undefined;
  const sessions: ServingSessions = async (task) => {
    const current = config;
    if (current) return pool.use(current, (s) => task({ ...s, baseUrl: current.catalogUrl }));
    if (workbench) return (await workbench).useWorkbenchSession(task);
    throw new HafrecWorkerError('the worker got "recommend" before "init" (or, in the demo, before "openDataset")');
  };
  const tag = async (request: TagRequest): Promise<EngineResults[TagRequest['kind']]> => {
    if (request.kind === 'init') {
      config = request.config;
      const { value, warm } = await pool.open(config);
      const wholeDomain = wholeDomainOf(value.recommender);
      return { ...value.info, shared, warm, ...(wholeDomain ? { wholeDomain } : {}) };
    }
    const checked = { ...request, ...checkRecommendRequest(request.domain, request.k) };
    return sessions((session) => recommendOn(session, checked));
  };
  let embedder: EmbeddingService | undefined;
  return serveRpc<EngineRequest, EngineProgress>(port, async (request, job) => {
    if (isTagRequest(request)) return tag(request);
    if (isEmbeddingRequest(request)) {
      embedding ??= import('./embedding/embedding-serve.ts');
      embedder ??= new (await embedding).EmbeddingService();
      return embedder.serve(request, job);
    }
    workbench ??= import('./workbench/workbench-serve.ts');
    return (await workbench).serveWorkbench(request, job);
  });
}

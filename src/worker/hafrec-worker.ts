/// <reference lib="webworker" />
import type { Catalog } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import { openHistoryStore, type HistoryStore } from '../store/history-store.ts';
import { loadCatalog, loadModelManifest } from './asset-loader.ts';
import { loadModel } from './model-registry.ts';
import { cachingFetch } from './cached-fetch.ts';
import { recommendFromHistory } from './recommend-service.ts';
import { EVENTS_PER_HISTORY } from '../store/history-sequence.ts';
import { HafrecWorkerError } from './errors.ts';
import { checkRecommendRequest } from './recommend-request.ts';
import type { WorkerConfig, WorkerInfo, WorkerRequest, WorkerResponse } from './protocol.ts';
import { toWire } from '../errors/wire.ts';

/**
 * The recommendation worker: the one place that wires the shopper's store, the store's
 * catalog and a model. It reads history from IndexedDB itself; nothing leaves the device.
 */
interface Session {
  readonly config: WorkerConfig;
  readonly store: HistoryStore;
  readonly catalog: Catalog;
  readonly recommender: Recommender;
  readonly info: WorkerInfo;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
let session: Promise<Session> | undefined;

async function start(config: WorkerConfig): Promise<Session> {
  const store = await openHistoryStore({
    name: config.dbName,
    broadcast: false,
    retention: config.retention,
    defaultConsent: config.defaultConsent,
  });
  const cache = { db: await store.db(), save: await store.consent() };
  const fetchImpl = scope.fetch.bind(scope);
  const [catalog, manifest] = await Promise.all([
    loadCatalog(config.catalogUrl, cache, fetchImpl),
    loadModelManifest(config.modelUrl, cache, fetchImpl),
  ]);
  const recommender = await loadModel({
    manifest: manifest.value,
    catalog: catalog.value,
    url: config.modelUrl,
    ...(config.featuresUrl ? { featuresUrl: config.featuresUrl } : {}),
    // Files the model reads (a haf bundle's prior and weights) are cached for offline use too.
    fetch: cachingFetch(cache, fetchImpl),
    ...(config.clip ? { clip: { ...config.clip, imageBase: config.catalogUrl, cache: cache.save } } : {}),
  });
  const info: WorkerInfo = {
    items: catalog.value.size,
    domains: catalog.value.domains,
    model: recommender.name,
    offline: catalog.offline || manifest.offline,
  };
  return { config, store, catalog: catalog.value, recommender, info };
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  if (request.type === 'init') {
    session ??= start(request.config);
    session.catch(() => (session = undefined));
    return { id: request.id, ok: true, result: (await session).info };
  }
  if (!session) throw new HafrecWorkerError('the worker got "recommend" before "init"');
  const { domain, k } = checkRecommendRequest(request.domain, request.k);
  const { store, catalog, recommender, config } = await session;
  const events = await store.events({ limit: EVENTS_PER_HISTORY });
  const items = await recommendFromHistory({
    catalog,
    recommender,
    events,
    domain,
    k,
    baseUrl: config.catalogUrl,
  });
  return { id: request.id, ok: true, result: items };
}

scope.onmessage = (message: MessageEvent<WorkerRequest>) => {
  const request = message.data;
  handle(request).then(
    (response) => scope.postMessage(response),
    (error: unknown) => {
      scope.postMessage({ id: request.id, ok: false, error: toWire(error) } satisfies WorkerResponse);
    },
  );
};

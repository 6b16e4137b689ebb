import { openHistoryStore, type HistoryStore } from '../store/history-store.ts';
import { StoreError } from '../store/errors.ts';
import { HafrecWorkerClient } from '../engine/hafrec-client.ts';
import { createApi, createFailedApi, HAFREC_VERSION, type HafrecApi } from './api.ts';
import type { EmbedConfig } from './config.ts';
import { openPendingLog } from './pending-log.ts';
import { replayPending } from './replay-pending.ts';

/**
 * Opens the shopper's store and wires the API to it. When the database cannot be opened
 * (written by a newer version, foreign or missing stores, blocked by another tab, storage
 * refused), the API still exists, in the error state; the database is left exactly as it was
 * (a database that failed to open is never deleted automatically) and no worker is started.
 * Events an earlier page tracked but could not finish writing are stored first.
 */
export async function startApi(config: EmbedConfig): Promise<HafrecApi> {
  let store: HistoryStore;
  try {
    store = await openHistoryStore({ name: config.dbName, defaultConsent: config.defaultConsent, retention: config.retention });
  } catch (error) {
    return createFailedApi(config, error instanceof Error ? error : new StoreError(String(error)));
  }
  const log = openPendingLog(config.dbName);
  // A failed replay must not cost the shopper the tag; the entries stay for the next page.
  await replayPending(store, log).catch((error: unknown) => console.warn('hafrec: could not store events left by an earlier page:', error));
  const consent = await store.consent();
  const worker = new HafrecWorkerClient(config.workerUrl, {
    catalogUrl: config.catalogUrl,
    modelUrl: config.modelUrl,
    dbName: config.dbName,
    retention: config.retention,
    defaultConsent: config.defaultConsent,
    ...(config.featuresUrl ? { featuresUrl: config.featuresUrl } : {}),
    ...(config.clip ? { clip: config.clip } : {}),
    ...(config.wholeDomain ? { wholeDomain: config.wholeDomain } : {}),
  }, config.workerMode, `hafrec-${HAFREC_VERSION}`);
  // A page that adds its widgets later (a product template) lets the worker load meanwhile.
  if (config.preload) void worker.init().catch(() => undefined);
  return createApi(config, store, worker, { log, consent });
}

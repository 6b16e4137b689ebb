/**
 * The storefront tag (dist/embed.js, a classic async script). Small on purpose: it stores
 * events with IndexedDB on the main thread and starts the recommendation worker
 * (embed-worker.js, which holds catalog and model code) only when recommendations are asked for.
 */
import { openHistoryStore } from '../store/history-store.ts';
import { HafrecWorkerClient } from '../worker/hafrec-client.ts';
import { createApi, type Command, type HafrecApi } from './api.ts';
import { findScript, readConfig, type EmbedConfig } from './config.ts';
import { defineWidget } from './widget.ts';

declare global {
  interface Window {
    hafrec?: HafrecApi | Command[];
  }
}

async function boot(script: HTMLScriptElement): Promise<void> {
  const config: EmbedConfig = readConfig(script);
  const queued = Array.isArray(window.hafrec) ? [...window.hafrec] : [];
  const store = await openHistoryStore({ name: config.dbName, defaultConsent: config.defaultConsent, retention: config.retention });
  const worker = new HafrecWorkerClient(config.workerUrl, {
    catalogUrl: config.catalogUrl,
    modelUrl: config.modelUrl,
    dbName: config.dbName,
    ...(config.featuresUrl ? { featuresUrl: config.featuresUrl } : {}),
  });
  const api = createApi(config, store, worker);
  // Commands pushed onto the stub while the store was opening are replayed too, in order.
  const late = Array.isArray(window.hafrec) ? window.hafrec.slice(queued.length) : [];
  window.hafrec = api;
  await Promise.all([...queued, ...late].map((command) => api.push(command).catch(report)));
  defineWidget(api);
  window.dispatchEvent(new CustomEvent('hafrec:ready', { detail: api }));
}

function report(error: unknown): void {
  console.error('hafrec:', error);
}

const script = findScript();
const existing = window.hafrec;
if (script && !(existing && !Array.isArray(existing))) boot(script).catch(report);

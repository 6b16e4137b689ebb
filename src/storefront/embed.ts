/**
 * The storefront tag (dist/embed.js, a classic async script). Small on purpose: it stores
 * events with IndexedDB on the main thread and starts the recommendation worker
 * (embed-worker.js, which holds catalog and model code) only when recommendations are asked for.
 */
import type { Command, HafrecApi } from './api.ts';
import { findScript, readConfig, type EmbedConfig } from './config.ts';
import { startApi } from './start.ts';
import { defineWidget } from './widget.ts';

declare global {
  interface Window {
    hafrec?: HafrecApi | Command[];
  }
}

/**
 * Installs the API (in the error state when the database cannot be opened), replays the
 * queue, defines the widget, then fires `hafrec:ready` (detail: the API) or `hafrec:error`
 * (detail: the typed store error).
 */
async function boot(script: HTMLScriptElement): Promise<void> {
  const config: EmbedConfig = readConfig(script);
  const queued = Array.isArray(window.hafrec) ? [...window.hafrec] : [];
  const api = await startApi(config);
  // Commands pushed onto the stub while the store was opening are replayed too, in order.
  const late = Array.isArray(window.hafrec) ? window.hafrec.slice(queued.length) : [];
  window.hafrec = api;
  // Unusable storage is reported once; the queued commands fail with that same error.
  if (api.error) console.warn(`hafrec: ${api.error.name}: ${api.error.message}`);
  const onFailure = api.error ? () => undefined : report;
  await Promise.all([...queued, ...late].map((command) => api.push(command).catch(onFailure)));
  defineWidget(api);
  const event = api.error ? new CustomEvent('hafrec:error', { detail: api.error }) : new CustomEvent('hafrec:ready', { detail: api });
  window.dispatchEvent(event);
}

function report(error: unknown): void {
  console.error('hafrec:', error);
}

const script = findScript();
const existing = window.hafrec;
if (script && !(existing && !Array.isArray(existing))) boot(script).catch(report);

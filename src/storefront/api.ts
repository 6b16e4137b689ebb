import { validateEvent, type HistoryEvent } from '../store/event.ts';
import { newEventId } from '../store/event-id.ts';
import { InvalidConsentError } from '../store/errors.ts';
import type { HistoryExport, HistoryStore } from '../store/history-store.ts';
import type { StoreChange } from '../store/change-channel.ts';
import type { RecommendedItem } from '../engine/recommend-service.ts';
import type { HafrecWorkerClient } from '../engine/hafrec-client.ts';
import type { WorkerInfo } from '../engine/protocol.ts';
import type { EmbedConfig } from './config.ts';
import { downloadJson } from './download.ts';
import { UnknownCommandError } from './errors.ts';
import type { PendingLog } from './pending-log.ts';
import { createCommandQueue, type CommandQueue } from './command-queue.ts';
import { checkRecommendRequest } from '../engine/recommend-request.ts';
import { InvalidRequestError } from '../engine/errors.ts';

/** A queued command: `hafrec.push(['track', {...}])`, the way analytics tags work. */
export type Command =
  | readonly ['track', unknown]
  | readonly ['consent', boolean]
  | readonly ['recommend', string?, number?, ((items: RecommendedItem[]) => void)?]
  | readonly ['export', ExportOptions?]
  | readonly ['forget']
  | readonly ['ready', (api: HafrecApi) => void, ((error: Error) => void)?];

export interface ExportOptions {
  /** Offer the JSON as a file download (default true). */
  readonly download?: boolean;
}

/** `ready`: storage is open. `error`: it could not be opened; every call rejects with `error`. */
export type ApiState = 'ready' | 'error';

/** What `window.hafrec` becomes once the tag has loaded, whether or not storage works. */
export interface HafrecApi {
  readonly version: string;
  readonly state: ApiState;
  /**
   * Why storage could not be opened (StoreVersionError, StoreCorruptError, StoreBlockedError,
   * StoreUnavailableError), when `state` is 'error'. The database was left untouched.
   */
  readonly error?: Error;
  /** Resolves with the API when storage works; rejects with `error` when it does not. */
  readonly ready: Promise<HafrecApi>;
  /** Runs a queued-style command; resolves with its result. */
  push(command: Command): Promise<unknown>;
  /** Stores one event on this device; `domain` defaults to the tag's data-domain. Resolves undefined without consent. */
  track(event: Record<string, unknown>): Promise<HistoryEvent | undefined>;
  /** What the recommendation worker loaded (items, domains, model) and whether it was shared and warm; starts it if needed. */
  info(): Promise<WorkerInfo>;
  /** The k best items of a domain for this shopper, each with a reason when one applies. */
  recommend(domain?: string, k?: number): Promise<RecommendedItem[]>;
  /** With an argument: records the decision (false deletes what was stored). Resolves the current state. */
  consent(granted?: boolean): Promise<boolean>;
  /** Everything stored about the shopper, as JSON (downloaded as a file unless {download: false}). */
  export(options?: ExportOptions): Promise<HistoryExport>;
  /** Deletes the shopper's history and cached assets. */
  forget(): Promise<void>;
  /** Called on every change of the store, in this tab or another one. */
  onChange(listener: (change: StoreChange) => void): () => void;
  readonly config: EmbedConfig;
}

export const HAFREC_VERSION = '0.1.0';
const COMMANDS = ['track', 'consent', 'recommend', 'export', 'forget', 'ready'];

/**
 * The working API. Each tracked event gets its id and goes to the pending log before its
 * IndexedDB write (so a navigation cannot lose it), except when consent is known to be off.
 * Arguments are validated before anything changes: a rejected call changes nothing.
 */
export function createApi(config: EmbedConfig, store: HistoryStore, worker: HafrecWorkerClient, pending: Pending): HafrecApi {
  const queue = createCommandQueue(store);
  let consented = pending.consent;
  store.onChange((change) => {
    if (change.kind === 'consent') consented = change.granted;
    if ((change.kind === 'consent' && !change.granted) || change.kind === 'cleared') pending.log.clear();
  });
  const api: HafrecApi = {
    version: HAFREC_VERSION,
    state: 'ready',
    ready: Promise.resolve().then(() => api),
    config,
    push: (command) => run(api, command),
    track: (input) => track(input, config, queue, consented ? pending.log : undefined),
    info: () => worker.init(),
    recommend: (domain = config.domain, k = 4) => {
      if (domain === undefined) return Promise.reject(new InvalidRequestError('domain', 'is missing and the tag has no data-domain: pass a domain of the catalog'));
      try {
        const request = checkRecommendRequest(domain, k);
        return worker.recommend(request.domain, request.k);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    consent: (granted) => {
      if (granted !== undefined && typeof granted !== 'boolean') return Promise.reject(new InvalidConsentError(granted));
      if (granted !== undefined) consented = granted;
      if (granted === false) pending.log.clear();
      return queue.run(async () => {
        if (granted !== undefined) await store.setConsent(granted);
        return store.consent();
      });
    },
    export: (options = {}) => queue.run(async () => {
      const data = await store.exportHistory();
      if (options.download !== false) downloadJson(`hafrec-history-${data.exportedAt.slice(0, 10)}.json`, data);
      return data;
    }),
    forget: () => {
      pending.log.clear();
      return queue.run(() => store.forget());
    },
    onChange: (listener) => store.onChange(listener),
  };
  return api;
}

/**
 * Validates synchronously (a bad event rejects and is never logged), logs, queues. The log
 * entry goes once the write settles with an outcome; an aborted write (the page went away)
 * leaves it for the next page.
 */
function track(input: unknown, config: EmbedConfig, queue: CommandQueue, log: PendingLog | undefined): Promise<HistoryEvent | undefined> {
  let event: HistoryEvent;
  try {
    event = validateEvent(withDomain(input, config.domain));
  } catch (error) {
    return Promise.reject(error);
  }
  if (event.id === undefined) event = { id: newEventId(), ...event };
  log?.add(event);
  return queue.track(event).then((outcome) => {
    log?.remove([event.id!]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  });
}

/** The pending log and the consent state read when the store opened. */
export interface Pending {
  readonly log: PendingLog;
  readonly consent: boolean;
}

/**
 * The API when the shopper's database cannot be opened: it exists so that pages and widgets
 * behave predictably, and every call rejects with the typed store error. Nothing is retried or
 * deleted. `push` and `ready` rejections are marked handled because pages fire-and-forget
 * queued commands and the tag already reported the error once; awaiting callers still get it.
 */
export function createFailedApi(config: EmbedConfig, error: Error): HafrecApi {
  const fail = <T>(): Promise<T> => Promise.reject(error);
  const api: HafrecApi = {
    version: HAFREC_VERSION,
    state: 'error',
    error,
    ready: handled(fail<HafrecApi>()),
    config,
    push: (command) => handled(run(api, command)),
    track: fail,
    info: fail,
    recommend: fail,
    consent: fail,
    export: fail,
    forget: fail,
    onChange: () => () => undefined,
  };
  return api;
}

function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Fills in the page's data-domain; anything that is not an event object is left for validation to reject. */
function withDomain(event: unknown, domain: string | undefined): unknown {
  const isObject = typeof event === 'object' && event !== null && !Array.isArray(event);
  return domain && isObject && (event as { domain?: unknown }).domain === undefined ? { ...event, domain } : event;
}

async function run(api: HafrecApi, command: Command): Promise<unknown> {
  if (!Array.isArray(command) || !COMMANDS.includes(command[0])) {
    throw new UnknownCommandError(JSON.stringify(command) ?? String(command), COMMANDS);
  }
  switch (command[0]) {
    case 'track':
      return api.track(command[1] as Record<string, unknown>);
    case 'consent':
      return api.consent(command[1]);
    case 'recommend': {
      const items = await api.recommend(command[1], command[2]);
      command[3]?.(items);
      return items;
    }
    case 'export':
      return api.export(command[1]);
    case 'forget':
      return api.forget();
    case 'ready':
      return api.ready.then(command[1], (error: Error) => {
        command[2]?.(error);
        throw error;
      });
  }
}

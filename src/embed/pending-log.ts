/**
 * A write-ahead copy of the events the tag has been given but IndexedDB has not committed yet.
 * A browser aborts open IndexedDB transactions when the page goes away, so an add_to_cart
 * tracked just before a link is followed would be lost; localStorage survives the navigation,
 * and the next page's tag stores what is left here. Best effort by design: where localStorage
 * is missing or refuses writes, events still go to IndexedDB as before.
 *
 * Each tab keeps its own entry (`hafrec:pending:<db>:<tab>`) in memory and writes it once per
 * task (a burst of 10,000 track() calls is one write, not 10,000 parse-and-rewrite cycles),
 * and at once when the page is hidden or left (`pagehide`, `visibilitychange`), which is when
 * the cut-off writes happen. Replaying another tab's entry is safe even while that tab is
 * alive: events carry ids and the store never stores an id twice.
 */
import type { HistoryEvent } from '../store/event.ts';

/** Events an earlier page (or another tab) left under one key. */
export interface Leftover {
  readonly key: string;
  readonly events: readonly HistoryEvent[];
}

export interface PendingLog {
  /** Records an event (with its id) before its IndexedDB write starts. */
  add(event: HistoryEvent): void;
  /** Drops entries once their writes have settled. */
  remove(ids: readonly string[]): void;
  /** Entries under every key of this database but this tab's (oldest first per key). */
  leftovers(): Leftover[];
  /** Deletes one leftover key once its events are stored. */
  discard(key: string): void;
  /** Writes this tab's entries now (the lifecycle events call it). */
  flush(): void;
  /** Forgets every entry of this database, every tab's (consent withdrawn, history forgotten). */
  clear(): void;
}

/** Entries a tab keeps at most: a page that never lets a write finish cannot fill localStorage. */
export const PENDING_LIMIT = 5000;

/** What the log listens to for "the page is going away"; `window` in browsers. */
export interface Lifecycle {
  addEventListener(type: 'pagehide' | 'visibilitychange', listener: () => void): void;
}

export function openPendingLog(dbName: string, storage: Storage | undefined = defaultStorage(), lifecycle = defaultLifecycle()): PendingLog {
  const prefix = `hafrec:pending:${dbName}`;
  const own = `${prefix}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const inFlight = new Map<string, HistoryEvent>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    attempt(() => (inFlight.size === 0 ? storage?.removeItem(own) : storage?.setItem(own, JSON.stringify([...inFlight.values()]))));
  };
  const schedule = (): void => {
    timer ??= setTimeout(flush, 0);
  };
  lifecycle?.addEventListener('pagehide', flush);
  lifecycle?.addEventListener('visibilitychange', () => {
    if (globalThis.document?.visibilityState === 'hidden') flush();
  });
  return {
    add(event) {
      if (!storage || !event.id) return;
      inFlight.set(event.id, event);
      if (inFlight.size > PENDING_LIMIT) inFlight.delete(inFlight.keys().next().value!);
      schedule();
    },
    remove(ids) {
      let changed = false;
      for (const id of ids) changed = inFlight.delete(id) || changed;
      if (changed) schedule();
    },
    leftovers: () => keysOf(storage, prefix).filter((key) => key !== own).map((key) => ({ key, events: read(storage!, key) })),
    discard: (key) => attempt(() => storage?.removeItem(key)),
    flush,
    clear() {
      inFlight.clear();
      flush();
      for (const key of keysOf(storage, prefix)) attempt(() => storage?.removeItem(key));
    },
  };
}

/** This database's keys: its tabs' (`prefix:tab`) and the single shared key earlier tags wrote (`prefix`). */
function keysOf(storage: Storage | undefined, prefix: string): string[] {
  const keys: string[] = [];
  attempt(() => {
    for (let i = 0; i < (storage?.length ?? 0); i++) {
      const key = storage!.key(i);
      if (key !== null && (key === prefix || key.startsWith(`${prefix}:`))) keys.push(key);
    }
  });
  return keys;
}

/** The events under a key; earlier tags stored `{id, event}` entries, whose id becomes the event's. */
function read(storage: Storage, key: string): HistoryEvent[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { id, event } = entry as { id?: unknown; event?: unknown };
      if (typeof id !== 'string') return [];
      if (event === undefined) return [entry as HistoryEvent];
      return typeof event === 'object' && event !== null ? [{ id, ...(event as HistoryEvent) }] : [];
    });
  } catch {
    return [];
  }
}

function attempt(write: () => void): void {
  try {
    write();
  } catch {
    // Full or refused storage: the log is best effort, IndexedDB still gets the events.
  }
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Sandboxed frames and blocked site data throw on the first access.
    return undefined;
  }
}

function defaultLifecycle(): Lifecycle | undefined {
  return typeof globalThis.addEventListener === 'function' ? (globalThis as unknown as Lifecycle) : undefined;
}

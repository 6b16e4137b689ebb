/**
 * A write-ahead copy of the events the tag has been given but IndexedDB has not committed yet.
 * A browser aborts open IndexedDB transactions when the page goes away, so an add_to_cart
 * tracked just before a link is followed would be lost; localStorage survives the navigation,
 * and the next page's tag stores what is left here. Best effort by design: where localStorage
 * is missing or refuses writes, events still go to IndexedDB as before.
 *
 * Each tab keeps its entries in memory, in chunks of PENDING_CHUNK events, each chunk under a
 * key of its own (`hafrec:pending:<db>:<tab>:<n>`). A changed chunk is written in a task of its
 * own after the current one (a burst of 10,000 track() calls is 20 writes of 500 events, not
 * 10,000 parse-and-rewrite cycles of the whole log, and no write is long), and every changed
 * chunk at once when the page is hidden or left (`pagehide`, `visibilitychange`), which is
 * when cut-off writes happen. Replaying another tab's entries is safe even while that tab is
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
/** Events per localStorage key: one write stays small (~75 KB). */
export const PENDING_CHUNK = 500;

/** What the log listens to for "the page is going away"; `window` in browsers. */
export interface Lifecycle {
  addEventListener(type: 'pagehide' | 'visibilitychange', listener: () => void): void;
}

export function openPendingLog(dbName: string, storage: Storage | undefined = defaultStorage(), lifecycle = defaultLifecycle()): PendingLog {
  const prefix = `hafrec:pending:${dbName}`;
  const chunks = createChunks(`${prefix}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`, storage);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const step = (): void => {
    timer = undefined;
    if (chunks.writeOne()) timer = setTimeout(step, 0);
  };
  const schedule = (): void => {
    timer ??= setTimeout(step, 0);
  };
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    while (chunks.writeOne());
  };
  lifecycle?.addEventListener('pagehide', flush);
  lifecycle?.addEventListener('visibilitychange', () => {
    if (globalThis.document?.visibilityState === 'hidden') flush();
  });
  return {
    add(event) {
      if (!storage || !event.id) return;
      chunks.add(event);
      schedule();
    },
    remove(ids) {
      if (chunks.remove(ids)) schedule();
    },
    leftovers: () =>
      keysOf(storage, prefix)
        .filter((key) => !chunks.owns(key))
        .map((key) => ({ key, events: read(storage!, key) }))
        .sort((a, b) => (a.events[0]?.ts ?? 0) - (b.events[0]?.ts ?? 0)),
    discard: (key) => attempt(() => storage?.removeItem(key)),
    flush,
    clear() {
      chunks.clear();
      flush();
      for (const key of keysOf(storage, prefix)) attempt(() => storage?.removeItem(key));
    },
  };
}

/** This tab's entries in numbered chunks, and which chunks changed since they were written. */
function createChunks(own: string, storage: Storage | undefined) {
  const chunks = new Map<number, Map<string, HistoryEvent>>();
  const chunkOf = new Map<string, number>();
  const dirty = new Set<number>();
  let current = 0;
  const drop = (id: string): boolean => {
    const n = chunkOf.get(id);
    if (n === undefined) return false;
    chunkOf.delete(id);
    chunks.get(n)?.delete(id);
    dirty.add(n);
    return true;
  };
  return {
    owns: (key: string) => key.startsWith(`${own}:`),
    add(event: HistoryEvent): void {
      if ((chunks.get(current)?.size ?? 0) >= PENDING_CHUNK) current += 1;
      if (!chunks.has(current)) chunks.set(current, new Map());
      chunks.get(current)!.set(event.id!, event);
      chunkOf.set(event.id!, current);
      dirty.add(current);
      if (chunkOf.size > PENDING_LIMIT) drop(chunkOf.keys().next().value!);
    },
    remove(ids: readonly string[]): boolean {
      let changed = false;
      for (const id of ids) changed = drop(id) || changed;
      return changed;
    },
    /** Writes the oldest changed chunk; true when more are left to write. */
    writeOne(): boolean {
      const n = Math.min(...dirty);
      if (!Number.isFinite(n)) return false;
      dirty.delete(n);
      const entries = chunks.get(n);
      if (!entries || entries.size === 0) {
        if (n !== current) chunks.delete(n);
        attempt(() => storage?.removeItem(`${own}:${n}`));
      } else {
        attempt(() => storage?.setItem(`${own}:${n}`, JSON.stringify([...entries.values()])));
      }
      return dirty.size > 0;
    },
    clear(): void {
      for (const n of chunks.keys()) dirty.add(n);
      for (const entries of chunks.values()) entries.clear();
      chunkOf.clear();
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

/**
 * A write-ahead copy of the events the tag has been given but IndexedDB has not committed yet.
 * A browser aborts open IndexedDB transactions when the page goes away, so an add_to_cart
 * tracked just before a link is followed would be lost; localStorage writes are synchronous and
 * survive the navigation, and the next page's tag stores what is left here. Best effort by
 * design: where localStorage is missing or refuses writes, events still go to IndexedDB as before.
 */
import type { HistoryEvent } from '../store/event.ts';

export interface PendingEntry {
  readonly id: string;
  readonly event: HistoryEvent;
}

export interface PendingLog {
  /** Records an event before its IndexedDB write starts; returns the entry id (empty when not recorded). */
  add(event: HistoryEvent): string;
  /** Drops an entry once its write has settled. */
  remove(id: string): void;
  /** Entries left by writes that never settled (oldest first). */
  entries(): PendingEntry[];
  /** Forgets every entry (consent withdrawn, history forgotten). */
  clear(): void;
}

/** Entries kept at most; a page that never lets a write finish cannot grow localStorage without bound. */
export const PENDING_LIMIT = 200;

export function openPendingLog(dbName: string, storage: Storage | undefined = defaultStorage()): PendingLog {
  const key = `hafrec:pending:${dbName}`;
  let counter = 0;
  const read = (): PendingEntry[] => {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return [];
    }
  };
  const write = (entries: readonly PendingEntry[]): boolean => {
    try {
      if (entries.length === 0) storage?.removeItem(key);
      else storage?.setItem(key, JSON.stringify(entries));
      return storage !== undefined;
    } catch {
      return false;
    }
  };
  return {
    add(event) {
      const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}-${++counter}`;
      return write([...read(), { id, event }].slice(-PENDING_LIMIT)) ? id : '';
    },
    remove(id) {
      if (!id) return;
      const entries = read();
      const kept = entries.filter((e) => e.id !== id);
      if (kept.length !== entries.length) write(kept);
    },
    entries: read,
    clear: () => void write([]),
  };
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Sandboxed frames and blocked site data throw on the first access.
    return undefined;
  }
}

function isEntry(value: unknown): value is PendingEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { id, event } = value as { id?: unknown; event?: unknown };
  return typeof id === 'string' && typeof event === 'object' && event !== null;
}

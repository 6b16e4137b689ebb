import type { HistoryEvent } from '../store/event.ts';
import type { HistoryStore } from '../store/history-store.ts';
import type { PendingLog } from './pending-log.ts';

/**
 * Stores the events an earlier page left in the pending log (its IndexedDB write was cut off
 * by the navigation), oldest first. An entry whose write did commit is not stored twice; one
 * that cannot be stored (invalid, consent withdrawn, storage full) is reported and dropped, so
 * a bad entry is never retried on every page. Resolves the number of events stored.
 */
export async function replayPending(store: HistoryStore, log: PendingLog): Promise<number> {
  const entries = log.entries();
  if (entries.length === 0) return 0;
  const stored = new Set((await store.events()).map(eventKey));
  let replayed = 0;
  for (const { id, event } of entries) {
    try {
      if (!stored.has(eventKey(event)) && (await store.track(event))) {
        stored.add(eventKey(event));
        replayed += 1;
      }
    } catch (error) {
      console.warn('hafrec: an event left by an earlier page could not be stored:', error);
    }
    log.remove(id);
  }
  return replayed;
}

function eventKey(event: HistoryEvent): string {
  return JSON.stringify([event.ts, event.type, event.domain, String(event.itemId)]);
}

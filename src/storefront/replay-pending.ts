import type { HistoryStore } from '../store/history-store.ts';
import type { PendingLog } from './pending-log.ts';

/**
 * Stores the events earlier pages (or other tabs) left in the pending log, oldest first per
 * tab. Idempotent: an event whose id is already stored (its write did commit, or its tab is
 * alive and committing it now) is not stored twice. An event that cannot be stored (invalid,
 * consent withdrawn, storage full) is reported and dropped, so a bad entry is never retried on
 * every page. Resolves how many of the left events are stored now.
 */
export async function replayPending(store: HistoryStore, log: PendingLog): Promise<number> {
  let stored = 0;
  for (const { key, events } of log.leftovers()) {
    const outcomes = await store.trackMany(events);
    const failed = outcomes.filter((o) => o instanceof Error);
    if (failed.length > 0) console.warn(`hafrec: ${failed.length} event(s) left by an earlier page could not be stored:`, failed[0]);
    stored += outcomes.filter((o) => o !== undefined && !(o instanceof Error)).length;
    log.discard(key);
  }
  return stored;
}

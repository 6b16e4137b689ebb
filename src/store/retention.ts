import type { IDBPDatabase } from 'idb';
import type { HafrecDB } from './schema.ts';

/** How much history a shopper's browser keeps. Older events go first. */
export interface RetentionPolicy {
  /** Keep at most this many events (default 5,000). */
  readonly maxEvents: number;
  /** Drop events older than this many milliseconds (default 365 days). */
  readonly maxAgeMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxEvents: 5000, maxAgeMs: 365 * 24 * 3600 * 1000 };

/** Deletes what the policy does not keep; returns how many events were deleted. */
export async function pruneEvents(db: IDBPDatabase<HafrecDB>, policy: RetentionPolicy, now: number = Date.now()): Promise<number> {
  const tx = db.transaction('events', 'readwrite');
  const byTs = tx.store.index('by-ts');
  let deleted = 0;
  let cursor = await byTs.openCursor(IDBKeyRange.upperBound(now - policy.maxAgeMs, true));
  while (cursor) {
    await cursor.delete();
    deleted += 1;
    cursor = await cursor.continue();
  }
  let excess = (await tx.store.count()) - policy.maxEvents;
  cursor = excess > 0 ? await byTs.openCursor() : null;
  while (cursor && excess > 0) {
    await cursor.delete();
    deleted += 1;
    excess -= 1;
    cursor = await cursor.continue();
  }
  await tx.done;
  return deleted;
}

export function validateRetention(policy: Partial<RetentionPolicy> | undefined): RetentionPolicy {
  const merged = { ...DEFAULT_RETENTION, ...policy };
  if (!Number.isInteger(merged.maxEvents) || merged.maxEvents < 1) {
    throw new RangeError(`retention.maxEvents must be a positive integer (got ${merged.maxEvents})`);
  }
  if (!(merged.maxAgeMs > 0)) throw new RangeError(`retention.maxAgeMs must be > 0 ms (got ${merged.maxAgeMs})`);
  return merged;
}

import type { IDBPDatabase } from 'idb';
import type { HafrecDB } from './schema.ts';

/**
 * How much history a shopper's browser keeps. Older events go first. One policy per database,
 * given to every openHistoryStore() of it (the tag passes its data-max-* attributes to the
 * recommendation worker too), because opening prunes.
 */
export interface RetentionPolicy {
  /** Keep at most this many events (default 5,000). */
  readonly maxEvents: number;
  /** Drop events older than this many milliseconds (default 365 days). */
  readonly maxAgeMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxEvents: 5000, maxAgeMs: 365 * 24 * 3600 * 1000 };

/**
 * Deletes per transaction at most this many events: a large prune (a policy lowered from
 * 200,000 to 5,000 events) is many short transactions that writers in this and other tabs
 * interleave with, never one long one that holds the store for a minute.
 */
export const PRUNE_BATCH = 1000;

/** Deletes what the policy does not keep, in batches; returns how many events were deleted. */
export async function pruneEvents(db: IDBPDatabase<HafrecDB>, policy: RetentionPolicy, now: number = Date.now()): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await pruneBatch(db, policy, now, PRUNE_BATCH);
    deleted += batch;
    if (batch < PRUNE_BATCH) return deleted;
  }
}

/**
 * One transaction: deletes up to `limit` events, too old ones first, then the oldest beyond
 * maxEvents. Keys are read with getAllKeys and deleted in one pipelined burst (a cursor would
 * cost a round trip per event).
 */
async function pruneBatch(db: IDBPDatabase<HafrecDB>, policy: RetentionPolicy, now: number, limit: number): Promise<number> {
  const tx = db.transaction('events', 'readwrite');
  const byTs = tx.store.index('by-ts');
  const tooOld = await byTs.getAllKeys(IDBKeyRange.upperBound(now - policy.maxAgeMs, true), limit);
  await Promise.all(tooOld.map((seq) => tx.store.delete(seq)));
  const excess = tooOld.length < limit ? (await tx.store.count()) - policy.maxEvents : 0;
  const beyond = excess > 0 ? await byTs.getAllKeys(null, Math.min(excess, limit - tooOld.length)) : [];
  await Promise.all(beyond.map((seq) => tx.store.delete(seq)));
  await tx.done;
  return tooOld.length + beyond.length;
}

/** The policy with defaults filled in; a nonsensical value is a RangeError naming it. */
export function validateRetention(policy: Partial<RetentionPolicy> | undefined): RetentionPolicy {
  const merged = { ...DEFAULT_RETENTION, ...policy };
  if (!Number.isInteger(merged.maxEvents) || merged.maxEvents < 1) {
    throw new RangeError(`retention.maxEvents must be a positive integer (got ${merged.maxEvents})`);
  }
  if (!(merged.maxAgeMs > 0)) throw new RangeError(`retention.maxAgeMs must be > 0 ms (got ${merged.maxAgeMs})`);
  return merged;
}

import type { IDBPDatabase, IDBPObjectStore } from 'idb';
import type { HafrecDB } from './schema.ts';
import type { HistoryEvent } from './event.ts';
import { InvalidEventError } from './errors.ts';
import { PRUNE_BATCH } from './retention.ts';
import { runInTransaction } from './transaction.ts';

/** Per event: the stored event (new or already there), undefined without consent, or why it was refused. */
export type AddOutcome = HistoryEvent | undefined | InvalidEventError;

export interface AddResult {
  readonly outcomes: readonly AddOutcome[];
  /** The events this transaction stored (not those already there), for change notifications. */
  readonly added: readonly HistoryEvent[];
  /** More events exceed maxEvents than one transaction trims (the policy was lowered): prune soon. */
  readonly overLimit: boolean;
}

export interface AddOptions {
  readonly defaultConsent: boolean;
  readonly maxEvents: number;
}

/**
 * One transaction: checks consent, adds every event whose `id` is not stored yet (storing an
 * event twice, from two tabs or a replayed pending log, is a no-op that resolves the stored
 * one), then trims the oldest events beyond maxEvents, so that concurrent tabs never exceed
 * the limit. An added event the trim would delete at once (older than every event kept) is
 * refused instead of resolving as stored.
 */
export function addEvents(db: IDBPDatabase<HafrecDB>, events: readonly HistoryEvent[], options: AddOptions): Promise<AddResult> {
  const tx = db.transaction(['events', 'settings'], 'readwrite');
  return runInTransaction(tx.done, async () => {
    const consent = await tx.objectStore('settings').get('consent');
    if (!(consent?.granted ?? options.defaultConsent)) return { outcomes: events.map(() => undefined), added: [], overLimit: false };
    const store = tx.objectStore('events');
    const byId = store.index('by-id');
    const firstOf = new Map<string, number>();
    events.forEach((event, i) => firstOf.set(event.id!, firstOf.get(event.id!) ?? i));
    const fresh = new Set<number>();
    // Requests of one transaction run in order, so the adds keep the events' order.
    const stored = await Promise.all(events.map(async (event, i): Promise<HistoryEvent | undefined> => {
      if (firstOf.get(event.id!) !== i) return undefined;
      const existing = await byId.get(event.id!);
      if (existing) return existing;
      const seq = await store.add(event);
      fresh.add(seq);
      return { ...event, seq };
    }));
    const { removed, overLimit } = await trimToLimit(tx.objectStore('events'), options.maxEvents, events.length + PRUNE_BATCH);
    const outcomes = events.map((event, i): AddOutcome => {
      const own = stored[firstOf.get(event.id!)!]!;
      return removed.has(own.seq!) && fresh.has(own.seq!) ? tooOld(options.maxEvents) : own;
    });
    const added = stored.filter((e): e is HistoryEvent => e !== undefined && fresh.has(e.seq!) && !removed.has(e.seq!));
    return { outcomes, added, overLimit };
  });
}

/**
 * Deletes the oldest events beyond `maxEvents`, at most `budget` of them; returns their seqs.
 * One getAllKeys and pipelined deletes: a cursor would cost a round trip per event.
 */
async function trimToLimit(
  store: IDBPObjectStore<HafrecDB, ('events' | 'settings')[], 'events', 'readwrite'>,
  maxEvents: number,
  budget: number,
): Promise<{ removed: Set<number>; overLimit: boolean }> {
  const excess = (await store.count()) - maxEvents;
  if (excess <= 0) return { removed: new Set(), overLimit: false };
  const oldest = await store.index('by-ts').getAllKeys(null, Math.min(excess, budget));
  await Promise.all(oldest.map((seq) => store.delete(seq)));
  return { removed: new Set(oldest), overLimit: excess > oldest.length };
}

function tooOld(maxEvents: number): InvalidEventError {
  return new InvalidEventError(
    'ts',
    `is older than each of the ${maxEvents} newest events this browser keeps (retention maxEvents, data-max-events), ` +
      'so it would be deleted at once; nothing was stored',
  );
}

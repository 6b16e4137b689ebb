import type { EventType, HistoryEvent } from './event.ts';

/** The newest items of a history a model reads (HAF's sequence length). */
export const MAX_HISTORY = 50;

/**
 * Stored events read to build one history: enough for MAX_HISTORY items after repeats and
 * items unknown to the catalog are dropped, without reading a long history whole.
 */
export const EVENTS_PER_HISTORY = MAX_HISTORY * 4;

const STRENGTH: Readonly<Record<EventType, number>> = {
  view: 0, click: 0, remove_from_cart: 0, rate: 1, wishlist: 2, add_to_cart: 3, purchase: 4,
};

export interface HistorySequence<T> {
  /** Oldest first, at most `limit`. */
  readonly items: T[];
  /** What the shopper did with each item: the strongest of its consecutive events. */
  readonly types: EventType[];
}

/**
 * The one rule that turns stored events into the sequence a model reads, used by the tag's
 * worker and the demo alike: events in time order; those whose item `resolve` does not know
 * (not in this catalog) dropped first; consecutive events on the same item counted once, with
 * the strongest type (a view then a purchase is a purchase); the newest `limit` kept.
 */
export function historySequence<T>(
  events: readonly HistoryEvent[],
  resolve: (itemId: string) => T | undefined,
  limit = MAX_HISTORY,
): HistorySequence<T> {
  const items: T[] = [];
  const types: EventType[] = [];
  for (const event of events) {
    const item = resolve(event.itemId);
    if (item === undefined) continue;
    if (items.length > 0 && items[items.length - 1] === item) {
      if (STRENGTH[event.type] > STRENGTH[types[types.length - 1]!]) types[types.length - 1] = event.type;
      continue;
    }
    items.push(item);
    types.push(event.type);
  }
  const start = Math.max(0, items.length - limit);
  return { items: items.slice(start), types: types.slice(start) };
}

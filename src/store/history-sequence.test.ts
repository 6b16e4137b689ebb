import { describe, expect, it } from 'vitest';
import type { EventType, HistoryEvent } from './event.ts';
import { historySequence, MAX_HISTORY } from './history-sequence.ts';

let ts = 0;
const ev = (itemId: string, type: EventType = 'view'): HistoryEvent => ({ itemId, type, domain: 'food', ts: ++ts }) as HistoryEvent;
const KNOWN = new Map([['a', 1], ['b', 2], ['c', 3]]);
const resolve = (id: string) => KNOWN.get(id);

describe('historySequence, the one history rule', () => {
  it('drops unknown items first, then counts consecutive events on one item once with the strongest type', () => {
    const out = historySequence([ev('a'), ev('x'), ev('a', 'purchase'), ev('a', 'view'), ev('b'), ev('a')], resolve);
    expect(out).toEqual({ items: [1, 2, 1], types: ['purchase', 'view', 'view'] });
  });

  it('keeps the newest `limit` items, oldest first', () => {
    const events = Array.from({ length: MAX_HISTORY + 7 }, (_, i) => ev(['a', 'b', 'c'][i % 3]!));
    const out = historySequence(events, resolve);
    expect(out.items).toHaveLength(MAX_HISTORY);
    expect(out.items.at(-1)).toBe(resolve(events.at(-1)!.itemId));
    expect(historySequence(events, resolve, 2).items).toEqual([2, 3]);
  });

  it('an empty or wholly unknown history is empty', () => {
    expect(historySequence([], resolve)).toEqual({ items: [], types: [] });
    expect(historySequence([ev('x'), ev('y')], resolve)).toEqual({ items: [], types: [] });
  });
});

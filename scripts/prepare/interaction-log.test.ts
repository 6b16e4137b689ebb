import { describe, expect, it } from 'vitest';
import { InteractionLog, type SequenceCounts } from './interaction-log.ts';
import { createNegativeSampler } from './negatives.ts';
import { createCatalog } from '../../src/catalog/catalog.ts';
import { createRng } from '../../src/model/rng.ts';

describe('InteractionLog', () => {
  it('orders each shopper by time (ties in log order), drops duplicates and merges immediate repeats', () => {
    const log = new InteractionLog();
    const events: [string, number, number][] = [
      ['b', 7, 10], ['a', 3, 30], ['a', 1, 10], ['a', 2, 20], ['a', 2, 20], ['a', 2, 25], ['a', 5, 30], ['a', 1, 40], ['b', 8, 10],
    ];
    for (const [s, i, t] of events) log.add(s, i, t);
    const counts: SequenceCounts = { duplicates: 0, repeatsMerged: 0 };
    const out = [...log.sequences(counts)].map((s) => [s.shopper, [...s.items]]);
    expect(out).toEqual([['b', [7, 8]], ['a', [1, 2, 3, 5, 1]]]);
    expect(counts).toEqual({ duplicates: 1, repeatsMerged: 1 });
    expect([log.events, log.shoppers]).toEqual([9, 2]);
  });

  it('grows past its first capacity', () => {
    const log = new InteractionLog();
    for (let e = 0; e < 5000; e++) log.add(`s${e % 7}`, 1 + (e % 13), 5000 - e);
    const seqs = [...log.sequences({ duplicates: 0, repeatsMerged: 0 })];
    expect(seqs.reduce((n, s) => n + s.items.length, 0)).toBe(5000);
  });
});

describe('createNegativeSampler', () => {
  const catalog = createCatalog('t', Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, domain: i < 10 ? 'a' : 'b' })));

  it('draws distinct in-domain items, never the target, reproducibly from the seed', () => {
    const draw = createNegativeSampler(catalog, createRng(3));
    const negatives = draw(5, 9);
    expect(new Set(negatives).size).toBe(9);
    expect([...negatives].every((n) => n >= 1 && n <= 10 && n !== 5)).toBe(true);
    const again = createNegativeSampler(catalog, createRng(3));
    expect(again(5, 9)).toEqual(negatives);
    expect([...draw(25, 4)].every((n) => n > 10 && n !== 25)).toBe(true);
    expect(() => draw(5, 10)).toThrow(RangeError);
  });
});

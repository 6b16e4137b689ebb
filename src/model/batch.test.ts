import { describe, expect, it } from 'vitest';
import { buildBatch } from './batch.ts';

// Items 1..3 are domain 0, 4..6 domain 1.
const domainOf = Int32Array.from([-1, 0, 0, 0, 1, 1, 1]);

describe('buildBatch', () => {
  it('splits a history into domain views and points every query at each view', () => {
    const b = buildBatch([{ history: Int32Array.from([1, 4, 2, 5]) }], { domainOf, domains: 2, maxLength: 10, identityItems: 6 });
    expect(Array.from(b.views[0]!.items)).toEqual([1, 2]);
    expect(Array.from(b.views[1]!.items)).toEqual([4]);
    expect(Array.from(b.views[2]!.items)).toEqual([1, 4, 2]);
    // Queries at mixed positions 0, 1, 2 predicting 4, 2, 5.
    expect(Array.from(b.queryTarget)).toEqual([4, 2, 5]);
    expect(Array.from(b.queryDomain)).toEqual([1, 0, 1]);
    expect(Array.from(b.queryPosition[0]!)).toEqual([0, 0, 1]);
    expect(Array.from(b.queryPosition[1]!)).toEqual([-1, 0, 0]);
    expect(Array.from(b.queryPosition[2]!)).toEqual([0, 1, 2]);
  });

  it('recommendation: one query at the last of the last maxLength items; empty history is all-masked', () => {
    const b = buildBatch(
      [{ history: Int32Array.from([1, 2, 3, 4, 5]), domain: 0 }, { history: new Int32Array(0), domain: 1 }],
      { domainOf, domains: 2, maxLength: 3, identityItems: 6 },
    );
    expect(b.views[2]!.length).toBe(3);
    expect(Array.from(b.views[2]!.items)).toEqual([3, 4, 5, 0, 0, 0]);
    expect(Array.from(b.queryDomain)).toEqual([0, 1]);
    expect(Array.from(b.queryPosition[2]!)).toEqual([2, -1]);
    expect(Array.from(b.queryPosition[0]!)).toEqual([0, -1]);
  });

  it('local item numbering includes targets and extra items, padding first', () => {
    const b = buildBatch([{ history: Int32Array.from([3, 6]) }], { domainOf, domains: 2, maxLength: 5, extraItems: Int32Array.from([2]) });
    expect(Array.from(b.items)).toEqual([0, 3, 6, 2]);
    expect(Array.from(b.views[2]!.items)).toEqual([1]);
  });

  it('single-domain training drops queries whose own view is empty', () => {
    const b = buildBatch([{ history: Int32Array.from([1, 4, 2]) }], { domainOf, domains: 2, maxLength: 5, identityItems: 6, requireOwnView: true });
    expect(Array.from(b.queryTarget)).toEqual([2]);
  });
});

import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../catalog/types.ts';
import { sampleCases } from './valid-sample.ts';

const cases: EvalCase[] = Array.from({ length: 50 }, (_, i) => ({ user: `u${i}`, history: Int32Array.from([1]), target: 2, domain: 0, negatives: new Int32Array(0) }));

describe('sampleCases', () => {
  it('keeps every case when there are no more than max (or no max)', () => {
    expect(sampleCases(cases, undefined)).toBe(cases);
    expect(sampleCases(cases, 50)).toBe(cases);
  });

  it('takes a fixed seeded sample of max cases, in their original order', () => {
    const a = sampleCases(cases, 10).map((c) => c.user);
    expect(a).toHaveLength(10);
    expect(sampleCases(cases, 10).map((c) => c.user)).toEqual(a);
    expect([...a].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)))).toEqual(a);
    expect(sampleCases(cases, 10, 2).map((c) => c.user)).not.toEqual(a);
  });
});

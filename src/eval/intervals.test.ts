import { describe, expect, it } from 'vitest';
import type { EvalReport } from './evaluate.ts';
import { compareReports, reportIntervals } from './intervals.ts';
import { metricsByDomain } from './metrics.ts';
import { formatIntervals } from './report-table.ts';

const DOMAINS = ['food', 'kitchen'];

function report(model: string, sampled: number[], domains: number[]): EvalReport {
  return { model, split: 'valid', sampled: metricsByDomain(sampled, domains, DOMAINS), ranks: { domains, sampled } };
}

describe('intervals of an evaluation report', () => {
  // Ranks 1 and 3 have NDCG@10 1 and 0.5; rank 11 has 0.
  const a = report('a', [1, 3, 11, 1], [0, 0, 1, 1]);
  const b = report('b', [3, 3, 11, 11], [0, 0, 1, 1]);

  it('gives each domain and overall its NDCG@10 with an interval around it', () => {
    const table = reportIntervals(a, { random: () => 0.99, resamples: 3 });
    expect(table.full).toBeUndefined();
    expect(table.sampled!.food!.estimate).toBeCloseTo(0.75, 12);
    expect(table.sampled!.kitchen!.estimate).toBeCloseTo(0.5, 12);
    expect(table.sampled!.overall!.estimate).toBeCloseTo(0.625, 12);
    expect(table.sampled!.overall!.estimate).toBeCloseTo(a.sampled.overall!['NDCG@10'], 12);
    // random 0.99 always draws the last shopper of the group: kitchen's is rank 1.
    expect(table.sampled!.kitchen).toMatchObject({ low: 1, high: 1 });
  });

  it('pairs the same shoppers of two models', () => {
    const diff = compareReports(a, b, { random: () => 0, resamples: 4 });
    // food: (1 - 0.5 + 0.5 - 0.5) / 2 = 0.25; random 0 always draws the group's first shopper.
    expect(diff.sampled!.food).toEqual({ estimate: 0.25, low: 0.5, high: 0.5, above: 1 });
    expect(diff.sampled!.overall!.estimate).toBeCloseTo(0.375, 12);
    expect(formatIntervals('a - b', diff)).toMatch(/sampled food {6}\+0\.2500 {2}95% \[0\.5000, 0\.5000\] {2}ahead in 100\.0% of resamples/);
  });

  it('widens the domain column to the longest domain name, so long shop domain names stay apart from the numbers', () => {
    const interval = { estimate: 0.5, low: 0.25, high: 0.75 };
    const text = formatIntervals('m', { sampled: { 'Grocery & Gourmet Food': interval, overall: interval } });
    expect(text.split('\n').slice(1)).toEqual([
      'sampled Grocery & Gourmet Food  0.5000  95% [0.2500, 0.7500]',
      'sampled overall                 0.5000  95% [0.2500, 0.7500]',
    ]);
  });

  it('refuses to pair reports of different shoppers', () => {
    expect(() => compareReports(a, report('c', [1, 1, 1, 1], [0, 1, 0, 1]), { random: () => 0 })).toThrow(/different shoppers/);
  });
});

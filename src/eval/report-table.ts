import type { EvalReport, MetricTable } from './evaluate.ts';
import { METRIC_NAMES } from './metrics.ts';
import type { Interval, PairedInterval } from './bootstrap.ts';

/** A plain-text table of a report: one row per ranking x domain, one column per metric. */
export function formatReport(report: EvalReport): string {
  const header = ['ranking', 'domain', 'n', ...METRIC_NAMES];
  const rows: string[][] = [];
  const add = (ranking: string, table: MetricTable | undefined): void => {
    if (!table) return;
    for (const [domain, m] of Object.entries(table)) {
      rows.push([ranking, domain, String(m.n), ...METRIC_NAMES.map((k) => m[k].toFixed(4))]);
    }
  };
  add('sampled', report.sampled);
  add('full', report.full);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  return [`${report.model} on ${report.split}`, line(header), ...rows.map(line)].join('\n');
}

type IntervalTable = Partial<Record<string, Record<string, Interval | PairedInterval>>>;

/**
 * One line per ranking x domain: "estimate [low, high]" and, for paired differences, the share
 * of resamples in which the first model is ahead.
 */
export function formatIntervals(title: string, table: IntervalTable): string {
  const lines = [title];
  // Domain names are the shop's own: the column is as wide as the longest (at least 10).
  const width = Math.max(10, ...Object.values(table).flatMap((rows) => Object.keys(rows ?? {}).map((domain) => domain.length + 2)));
  for (const [ranking, rows] of Object.entries(table)) {
    for (const [domain, v] of Object.entries(rows ?? {})) {
      const ahead = 'above' in v ? `  ahead in ${(v.above * 100).toFixed(1)}% of resamples` : '';
      const sign = 'above' in v && v.estimate >= 0 ? '+' : '';
      lines.push(`${ranking.padEnd(8)}${domain.padEnd(width)}${sign}${v.estimate.toFixed(4)}  95% [${v.low.toFixed(4)}, ${v.high.toFixed(4)}]${ahead}`);
    }
  }
  return lines.join('\n');
}

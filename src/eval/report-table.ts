import type { EvalReport, MetricTable } from './evaluate.ts';
import { METRIC_NAMES } from './metrics.ts';

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

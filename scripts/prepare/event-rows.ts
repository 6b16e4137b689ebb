/**
 * One interaction from a store's log, in any of the accepted input formats: JSON lines,
 * CSV with a header, or the tag's `hafrec-history` export. Parsers return the event or a
 * problem string (what was wrong and what is valid); the caller adds the file and line.
 */
export interface RawEvent {
  readonly shopper: string;
  readonly item: string;
  /** Interaction kind (view, purchase...); absent when the log has none. */
  readonly type?: string;
  /** Milliseconds since the epoch. */
  readonly ts: number;
  /** The domain the log names, if any (the catalog's domain wins; a mismatch is counted). */
  readonly domain?: string;
}

export type RowResult = RawEvent | { readonly problem: string };

export const EVENT_FORMATS = ['jsonl', 'csv', 'hafrec-history'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const TS_HELP = 'milliseconds since the epoch (a number) or an ISO 8601 date, e.g. 2024-05-01T12:00:00Z';

/** Milliseconds since the epoch from a number, a string of digits or an ISO 8601 string; undefined if neither. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (!ISO_8601.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A shopper or item id: a non-empty string (or a finite number) without tabs or line breaks. */
function idField(name: string, value: unknown): string | { problem: string } {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || text.trim() === '') return { problem: `"${name}" must be a non-empty string or number, found ${JSON.stringify(value) ?? 'nothing'}` };
  if (/[\t\r\n]/.test(text)) return { problem: `"${name}" ${JSON.stringify(text)} contains a tab or line break` };
  return text;
}

/** Builds an event from already split fields; every field problem is named. */
export function toEvent(fields: { shopper: unknown; item: unknown; type?: unknown; ts: unknown; domain?: unknown }): RowResult {
  const shopper = idField('shopper', fields.shopper);
  if (typeof shopper !== 'string') return shopper;
  const item = idField('item', fields.item);
  if (typeof item !== 'string') return item;
  const ts = parseTimestamp(fields.ts);
  if (ts === undefined) return { problem: `"ts" ${JSON.stringify(fields.ts) ?? 'is missing'}: must be ${TS_HELP}` };
  const type = fields.type === undefined || fields.type === null || fields.type === '' ? undefined : fields.type;
  if (type !== undefined && typeof type !== 'string') return { problem: `"type" must be a string when present, found ${JSON.stringify(type)}` };
  const domain = typeof fields.domain === 'string' && fields.domain !== '' ? fields.domain : undefined;
  return { shopper, item, ts, ...(type === undefined ? {} : { type }), ...(domain === undefined ? {} : { domain }) };
}

/** One line of a JSON-lines log: {"shopper", "item", "type"?, "ts", "domain"?}; other keys are ignored. */
export function jsonLineEvent(line: string): RowResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not valid JSON; each line must be an object like {"shopper": "s1", "item": "<catalog id>", "type": "purchase", "ts": 1700000000000}' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'must be a JSON object with "shopper", "item" and "ts"' };
  const raw = value as Record<string, unknown>;
  return toEvent({ shopper: raw.shopper, item: raw.item, type: raw.type, ts: raw.ts, domain: raw.domain });
}

/** Splits one CSV record (RFC 4180 quotes, no line breaks inside a field); undefined on an unbalanced quote. */
export function splitCsv(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"' && (quoted || field === '')) {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  return quoted ? undefined : [...fields, field];
}

export const CSV_COLUMNS = ['shopper', 'item', 'type', 'ts', 'domain'] as const;
export type CsvColumns = Readonly<Partial<Record<(typeof CSV_COLUMNS)[number], number>>>;

/** Column positions from the header; shopper, item and ts are required, other columns are ignored. */
export function csvHeader(line: string): CsvColumns | { problem: string } {
  const names = (splitCsv(line.replace(/^\uFEFF/, '')) ?? []).map((n) => n.trim().toLowerCase());
  const columns: Record<string, number> = {};
  for (const column of CSV_COLUMNS) if (names.includes(column)) columns[column] = names.indexOf(column);
  const missing = ['shopper', 'item', 'ts'].filter((c) => columns[c] === undefined);
  if (missing.length > 0) return { problem: `the header must name the columns shopper,item,ts (type and domain optional); missing ${missing.join(', ')} in "${line}"` };
  return columns;
}

export function csvEvent(line: string, columns: CsvColumns): RowResult {
  const fields = splitCsv(line);
  if (!fields) return { problem: 'unbalanced double quote' };
  const at = (k: number | undefined): string | undefined => (k === undefined ? undefined : fields[k]);
  if (fields.length <= Math.max(...Object.values(columns))) return { problem: `expected at least ${Math.max(...Object.values(columns)) + 1} comma-separated fields, found ${fields.length}` };
  return toEvent({ shopper: at(columns.shopper), item: at(columns.item), type: at(columns.type), ts: at(columns.ts), domain: at(columns.domain) });
}

/** Which parser a file needs: by extension (.jsonl/.ndjson, .csv, .json for hafrec-history exports). */
export function formatOf(path: string): EventFormat | undefined {
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.json$/i.test(path)) return 'hafrec-history';
  return undefined;
}

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DataFormatError, MissingFileError } from '../../src/catalog/errors.ts';
import { csvEvent, csvHeader, formatOf, jsonLineEvent, toEvent, type CsvColumns, type RowResult } from './event-rows.ts';

/** One row of an events file: where it is, and the event or what is wrong with it. */
export interface EventRow {
  readonly file: string;
  /** 1-based line (JSON lines, CSV) or event number within the export (hafrec-history). */
  readonly line: number;
  readonly result: RowResult;
}

export interface ReadCounts {
  /** Empty lines: not rows, skipped and counted. */
  blankLines: number;
}

/** Streams every row of one events file; the format follows the extension (see formatOf). */
export async function* readEvents(file: string, counts: ReadCounts): AsyncGenerator<EventRow> {
  const format = formatOf(file);
  if (!format) throw new DataFormatError(file, 0, 'unknown events format: name the file .jsonl (or .ndjson), .csv, or .json (a hafrec-history export)');
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new MissingFileError(file, '--events names it');
  if (format === 'hafrec-history') yield* historyExportRows(file);
  else yield* lineRows(file, format, counts);
}

async function* lineRows(file: string, format: 'jsonl' | 'csv', counts: ReadCounts): AsyncGenerator<EventRow> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  let columns: CsvColumns = {};
  for await (const text of lines) {
    line++;
    if (format === 'csv' && line === 1) {
      const header = csvHeader(text);
      if ('problem' in header) throw new DataFormatError(file, 1, header.problem);
      columns = header;
      continue;
    }
    if (text.trim() === '') {
      counts.blankLines++;
      continue;
    }
    const result = format === 'jsonl' ? jsonLineEvent(text) : csvEvent(text, columns);
    yield { file, line, result };
  }
}

/**
 * A `.json` file holding one export of the tag (`exportHistory()`, format hafrec-history) or
 * an array of them. Each export is one shopper, named after the file's path as given (two
 * downloads may share a file name in different folders), `path#k` for the k-th export of an
 * array. Exports are small (the tag keeps at most a few thousand events), so the file is read whole.
 */
async function* historyExportRows(file: string): AsyncGenerator<EventRow> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DataFormatError(file, 0, `not valid JSON (${(error as Error).message}); a .json events file must be a hafrec-history export or an array of them (use .jsonl or .csv for logs)`);
  }
  const exports = Array.isArray(json) ? json : [json];
  for (const [k, value] of exports.entries()) {
    const shopper = Array.isArray(json) ? `${file}#${k + 1}` : file;
    const events = (value as { format?: unknown; events?: unknown } | null)?.events;
    if ((value as { format?: unknown } | null)?.format !== 'hafrec-history' || !Array.isArray(events)) {
      throw new DataFormatError(file, 0, `export #${k + 1}: expected {"format": "hafrec-history", "events": [...]} as the tag's exportHistory() writes it`);
    }
    for (const [i, event] of events.entries()) {
      const e = (event ?? {}) as Record<string, unknown>;
      yield { file, line: i + 1, result: toEvent({ shopper, item: e.itemId, type: e.type, ts: e.ts, domain: e.domain }) };
    }
  }
}

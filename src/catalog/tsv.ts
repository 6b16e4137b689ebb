import { DataFormatError } from './errors.ts';

export interface TsvRow {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Splits a TSV file with a header row; checks the header and every row's field count. */
export function parseTsv(file: string, text: string, columns: readonly string[]): TsvRow[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = (lines[0] ?? '').replace(/\r$/, '');
  if (header !== columns.join('\t')) {
    throw new DataFormatError(file, 1, `header must be "${columns.join('<TAB>')}", found "${header.replace(/\t/g, '<TAB>')}"`);
  }
  const rows: TsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i]!.replace(/\r$/, '').split('\t');
    if (fields.length !== columns.length) {
      throw new DataFormatError(file, i + 1, `expected ${columns.length} tab-separated fields (${columns.join(', ')}), found ${fields.length}`);
    }
    rows.push({ line: i + 1, fields });
  }
  return rows;
}

/** Decodes UTF-8 strictly; an invalid byte sequence is reported with its line number. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          strict.decode(bytes.subarray(start, i));
        } catch {
          throw new DataFormatError(file, line, 'invalid UTF-8 byte sequence');
        }
        line++;
        start = i + 1;
      }
    }
    throw new DataFormatError(file, line, 'invalid UTF-8 byte sequence');
  }
}

import { describe, expect, it } from 'vitest';
import { csvEvent, csvHeader, formatOf, jsonLineEvent, parseTimestamp, splitCsv, type CsvColumns } from './event-rows.ts';
import { csvField, toCsv } from './store-variants.ts';

describe('event rows', () => {
  it('reads ms, digit strings and ISO 8601 timestamps, and nothing else', () => {
    expect(parseTimestamp(1700000000000)).toBe(1700000000000);
    expect(parseTimestamp('1700000000000')).toBe(1700000000000);
    expect(parseTimestamp('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTimestamp('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTimestamp('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    for (const bad of ['yesterday', '05/01/2024', -1, NaN, null, '2024-13-45T00:00:00Z']) expect(parseTimestamp(bad)).toBeUndefined();
  });

  it('parses a JSON line and names what is wrong with a bad one', () => {
    expect(jsonLineEvent('{"shopper":"s1","item":42,"type":"purchase","ts":5,"price":3}')).toEqual({ shopper: 's1', item: '42', type: 'purchase', ts: 5 });
    expect(jsonLineEvent('{"shopper":"s1","item":"a","ts":"soon"}')).toEqual({ problem: expect.stringMatching(/"ts" "soon": must be milliseconds.*ISO 8601/) });
    expect(jsonLineEvent('{"item":"a","ts":1}')).toEqual({ problem: expect.stringMatching(/"shopper" must be a non-empty/) });
    expect(jsonLineEvent('{"shopper":"a\\tb","item":"a","ts":1}')).toEqual({ problem: expect.stringMatching(/tab or line break/) });
    expect(jsonLineEvent('not json')).toEqual({ problem: expect.stringMatching(/not valid JSON/) });
  });

  it('reads CSV with any column order, optional type, quotes and ISO dates', () => {
    const columns = csvHeader('ts,Item,shopper') as CsvColumns;
    expect(csvEvent('2024-05-01T00:00:00Z,"sku,1",s9', columns)).toEqual({ shopper: 's9', item: 'sku,1', ts: Date.UTC(2024, 4, 1) });
    expect(csvEvent('1,a', columns)).toEqual({ problem: expect.stringMatching(/expected at least 3/) });
    expect(csvHeader('user,item,ts')).toEqual({ problem: expect.stringMatching(/missing shopper/) });
    expect(splitCsv('"a ""b""",c')).toEqual(['a "b"', 'c']);
    expect(splitCsv('"open,c')).toBeUndefined();
  });

  it('reads back what toCsv writes, ids with commas, quotes and line breaks included', () => {
    const events = [{ shopper: 'u "1"', item: 'Musik & Noten, "Vinyl" 音楽-14', type: 'view', ts: 1_700_000_000_000 }];
    const [header, line] = toCsv(events).split('\n');
    expect(csvEvent(line!, csvHeader(header!) as CsvColumns)).toEqual({ shopper: 'u "1"', item: 'Musik & Noten, "Vinyl" 音楽-14', type: 'view', ts: 1_700_000_000_000 });
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
  });

  it('picks the format from the extension', () => {
    expect(['a.jsonl', 'a.ndjson', 'a.CSV', 'export.json', 'a.txt'].map(formatOf)).toEqual(['jsonl', 'jsonl', 'csv', 'hafrec-history', undefined]);
  });
});

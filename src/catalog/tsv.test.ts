import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from './tsv.ts';
import { DataFormatError } from './errors.ts';

describe('decodeUtf8', () => {
  it('decodes valid UTF-8', () => {
    expect(decodeUtf8('f', new TextEncoder().encode('caf\u00e9\n'))).toBe('caf\u00e9\n');
  });
  it('names the line holding an invalid byte sequence', () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0x0a, 0xc3, 0x28, 0x0a]);
    let error: unknown;
    try {
      decodeUtf8('items.tsv', bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as DataFormatError).line).toBe(3);
  });
});

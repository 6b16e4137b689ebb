import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../src/catalog/errors.ts';
import { UsageError } from './args.ts';
import { describeError, exitCodeOf } from './cli.ts';

describe('CLI error messages', () => {
  it('print the class name and message without a stack, and the usage after a usage error', () => {
    const data = new DataFormatError('events.csv', 7, 'bad ts "yesterday"');
    expect(describeError(data, 'usage: x')).toBe('DataFormatError: events.csv:7: bad ts "yesterday"');
    expect(exitCodeOf(data)).toBe(1);
    expect(describeError(new UsageError('--out needs a value'), 'usage: x')).toBe('UsageError: --out needs a value\nusage: x');
    expect(exitCodeOf(new UsageError('x'))).toBe(2);
  });
});

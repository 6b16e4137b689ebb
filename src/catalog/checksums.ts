import { ChecksumError, DataFormatError } from './errors.ts';

/** Parses a `sha256sum`-style file: "<64 hex>  <name>" per line. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const match = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line);
    if (!match) throw new DataFormatError('SHA256SUMS', i + 1, 'expected "<64 hex digits>  <file name>"');
    sums.set(match[2]!, match[1]!);
  });
  return sums;
}

/** Throws ChecksumError when the digest of a file differs from the pinned one. */
export function verifyChecksum(sums: ReadonlyMap<string, string>, file: string, actual: string): void {
  const expected = sums.get(file);
  if (expected === undefined) throw new DataFormatError('SHA256SUMS', 0, `no checksum pinned for ${file}`);
  if (expected !== actual) throw new ChecksumError(file, expected, actual);
}

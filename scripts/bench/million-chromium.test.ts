import { describe, expect, it } from 'vitest';
import { workerMB } from './million-chromium.ts';

describe('workerMB', () => {
  it('adds the V8 heap in use, the embedder heap and the ArrayBuffer backing stores, in MB', () => {
    expect(workerMB({ usedSize: 2 ** 20, totalSize: 4 * 2 ** 20, embedderHeapUsedSize: 2 ** 19, backingStorageSize: 3 * 2 ** 20 })).toBe(4.5);
  });

  it('refuses a reading without backing stores rather than report the heap alone', () => {
    expect(() => workerMB({ usedSize: 2 ** 20, totalSize: 2 ** 21 })).toThrow(/backingStorageSize/);
  });
});

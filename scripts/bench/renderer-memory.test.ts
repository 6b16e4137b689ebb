import { describe, expect, it } from 'vitest';
import { vmRssKiB } from './renderer-memory.ts';

describe('vmRssKiB', () => {
  it('reads the VmRSS line of a /proc status text', () => {
    expect(vmRssKiB('Name:\tchromium\nVmPeak:\t  900000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100000 kB\n')).toBe(123456);
  });

  it('is undefined without one (a zombie, or an empty read)', () => {
    expect(vmRssKiB('Name:\tchromium\nState:\tZ (zombie)\n')).toBeUndefined();
    expect(vmRssKiB('')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { decodeEntities, findCase } from './workbench-jobs.ts';
import type { WorkbenchData } from './workbench-data.ts';
import { HafrecWorkerError } from '../errors.ts';

describe('decodeEntities', () => {
  it('decodes named and numeric entities to plain text, leaving unknown ones', () => {
    expect(decodeEntities('Coffee &amp; Tea &#39;Lion&#x27;s&#39; &lt;b&gt; &bogus;')).toBe("Coffee & Tea 'Lion's' <b> &bogus;");
  });
});

describe('findCase', () => {
  it('an unknown shopper is a typed error that says how many the split has', () => {
    const data = { cases: { valid: new Map(), test: new Map([['u1', {}]]) } } as unknown as WorkbenchData;
    expect(() => findCase(data, 'test', 'nobody')).toThrow(HafrecWorkerError);
    expect(() => findCase(data, 'test', 'nobody')).toThrow('no shopper "nobody" in the test split (1 shoppers)');
  });
});

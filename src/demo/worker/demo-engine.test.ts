import { describe, expect, it } from 'vitest';
import { decodeEntities } from './demo-engine.ts';

describe('decodeEntities', () => {
  it('decodes named and numeric entities to plain text, leaving unknown ones', () => {
    expect(decodeEntities('Coffee &amp; Tea &#39;Lion&#x27;s&#39; &lt;b&gt; &bogus;')).toBe("Coffee & Tea 'Lion's' <b> &bogus;");
  });
});

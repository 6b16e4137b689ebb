import { describe, expect, it } from 'vitest';
import { StringColumnBuilder } from './string-column.ts';

describe('StringColumnBuilder', () => {
  it('reads back every value across chunks, absent ones as undefined, while building and after', () => {
    const values = Array.from({ length: 10_000 }, (_, p) => (p % 3 === 0 ? undefined : `v${p}${p % 7 === 0 ? 'é✓' : ''}`));
    const builder = new StringColumnBuilder(values.length);
    values.forEach((v, p) => {
      builder.add(v);
      expect(builder.get(p)).toBe(v);
      if (p > 5000) expect(builder.equals(p - 5000, values[p - 5000] ?? '')).toBe(true);
    });
    const column = builder.finish();
    values.forEach((v, p) => expect(column.get(p)).toBe(v));
    expect(column.equals(4, 'v4')).toBe(true);
    expect(column.equals(4, 'v')).toBe(false);
    expect(column.equals(4, 'v40')).toBe(false);
    expect(column.get(-1)).toBeUndefined();
    expect(column.get(values.length)).toBeUndefined();
  });

  it('costs nothing for a field no item has, and refuses more values than its capacity', () => {
    const builder = new StringColumnBuilder(2);
    builder.add(undefined);
    builder.add('');
    expect(() => builder.add('x')).toThrow(RangeError);
    const column = builder.finish();
    expect([column.get(0), column.get(1)]).toEqual([undefined, undefined]);
  });
});

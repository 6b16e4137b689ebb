import { describe, expect, it } from 'vitest';
import { fromHalf, toHalf } from './float16.ts';

describe('half floats', () => {
  it('match known IEEE binary16 bit patterns', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(0)).toBe(0);
    expect(fromHalf(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(fromHalf(0x0001)).toBe(2 ** -24);
  });

  it('round-trip every finite half exactly', () => {
    const bad: number[] = [];
    for (let h = 0; h < 0x7c00; h++) if (toHalf(fromHalf(h)) !== h || toHalf(-fromHalf(h)) !== (h | 0x8000)) bad.push(h);
    expect(bad).toEqual([]);
  });

  it('rounds to nearest even', () => {
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('rounds subnormals to nearest too (a copy in model/ truncated these)', () => {
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    f32[0] = 2 ** -25; // exactly halfway between 0 and the smallest subnormal: ties to even (0)
    expect(toHalf(f32[0])).toBe(0);
    u32[0] = u32[0]! + 1; // one float32 step above halfway: rounds up
    expect(toHalf(f32[0])).toBe(0x0001);
    f32[0] = 2.5 * 2 ** -24; // halfway between subnormals 2 and 3: ties to even (2)
    expect(toHalf(f32[0])).toBe(0x0002);
    u32[0] = u32[0]! + 1;
    expect(toHalf(f32[0])).toBe(0x0003);
  });
});

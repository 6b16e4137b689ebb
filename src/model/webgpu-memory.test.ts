import { describe, expect, it } from 'vitest';
import { trimPool, trimWebGpuBuffers, type BufferPoolLike } from './webgpu-memory.ts';

function fakePool(sizes: Record<string, number[]>, usedBytes: number): { pool: BufferPoolLike; destroyed: number[] } {
  const destroyed: number[] = [];
  const freeBuffers = new Map(Object.entries(sizes).map(([key, list]) => [key, list.map((size) => ({ size, destroy: () => void destroyed.push(size) }))]));
  const idle = Object.values(sizes).flat().reduce((a, b) => a + b, 0);
  return { pool: { freeBuffers, numFreeBuffers: Object.values(sizes).flat().length, numBytesAllocated: idle + usedBytes, numBytesUsed: usedBytes }, destroyed };
}

describe('trimPool', () => {
  it('leaves a pool within budget alone', () => {
    const { pool, destroyed } = fakePool({ '16_1': [16, 16] }, 100);
    expect(trimPool(pool, 64)).toBe(0);
    expect(destroyed).toEqual([]);
    expect(pool.numFreeBuffers).toBe(2);
  });

  it('destroys every idle buffer past the budget, keeps the keys and the accounting right', () => {
    const { pool, destroyed } = fakePool({ '16_1': [16, 16], '48_2': [48] }, 100);
    expect(trimPool(pool, 64)).toBe(80);
    expect(destroyed.sort((a, b) => a - b)).toEqual([16, 16, 48]);
    expect([...pool.freeBuffers.keys()]).toEqual(['16_1', '48_2']);
    expect([...pool.freeBuffers.values()].every((l) => l.length === 0)).toBe(true);
    expect(pool.numFreeBuffers).toBe(0);
    expect(pool.numBytesAllocated).toBe(100);
    expect(pool.numBytesUsed).toBe(100);
  });

  it('does nothing off webgpu', () => {
    expect(trimWebGpuBuffers(0)).toBe(0);
  });
});

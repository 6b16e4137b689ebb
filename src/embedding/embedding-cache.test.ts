import { describe, expect, it } from 'vitest';
import { createEmbeddingCache, type CachedVector } from './embedding-cache.ts';
import { memoryVectorRecords } from './test-fixtures.ts';
import { cosine, randomUnitVectors } from './vector-math.ts';

const fresh = (quantization?: 'fp32' | 'fp16' | 'int8') => createEmbeddingCache(memoryVectorRecords(), quantization ? { quantization } : {});

describe('embedding cache encoding (over records in memory)', () => {
  const vectors = randomUnitVectors(20, 512, 3);

  it('stores compactly and reads back within the measured cosine error', async () => {
    for (const [q, bytes, bound] of [['fp32', 2048, 1e-7], ['fp16', 1024, 1e-6], ['int8', 516, 1e-4]] as const) {
      const cache = fresh(q);
      await cache.putMany('m@main', 'text', vectors.map((vector, i) => ({ hash: `h${i}`, vector })));
      const back = await cache.getMany('m@main', 'text', vectors.map((_, i) => `h${i}`));
      back.forEach((v, i) => expect(1 - cosine(v!, vectors[i]!)).toBeLessThan(bound));
      back.forEach((v) => expect(Math.hypot(...v!)).toBeCloseTo(1, 5));
      expect(await cache.payloadBytes()).toBe(20 * bytes);
      cache.close();
    }
  });

  it('keys by model, modality and hash; misses are undefined; clear(model) leaves others', async () => {
    const cache = fresh();
    const v = vectors[0]!;
    await cache.putMany('a@main', 'text', [{ hash: 'x', vector: v }]);
    await cache.putMany('a@main', 'image', [{ hash: 'x', vector: vectors[1]! }]);
    await cache.putMany('a@v2', 'text', [{ hash: 'x', vector: vectors[2]! }]);
    const [t, missing] = await cache.getMany('a@main', 'text', ['x', 'y']);
    expect(cosine(t!, v)).toBeGreaterThan(0.99999);
    expect(missing).toBeUndefined();
    const [img] = await cache.getMany('a@main', 'image', ['x']);
    expect(cosine(img!, vectors[1]!)).toBeGreaterThan(0.99999);
    expect(await cache.count()).toBe(3);
    expect(await cache.count('a@main')).toBe(2);
    await cache.clear('a@main');
    expect(await cache.count()).toBe(1);
    expect((await cache.getMany('a@v2', 'text', ['x']))[0]).toBeDefined();
  });

  it('reads what another quantization wrote, and treats unreadable records as misses', async () => {
    const shelf = new Map<string, CachedVector>();
    await createEmbeddingCache(memoryVectorRecords('s', shelf), { quantization: 'int8' }).putMany('m', 'text', [{ hash: 'k', vector: vectors[4]! }]);
    const reader = createEmbeddingCache(memoryVectorRecords('s', shelf));
    expect(cosine((await reader.getMany('m', 'text', ['k']))[0]!, vectors[4]!)).toBeGreaterThan(0.9999);
    const [only] = shelf.keys();
    const record = shelf.get(only!)!;
    shelf.set(only!, { ...record, quantization: 'fp8' });
    expect((await reader.getMany('m', 'text', ['k']))[0]).toBeUndefined();
    shelf.set(only!, { ...record, dim: record.dim + 1 });
    expect((await reader.getMany('m', 'text', ['k']))[0]).toBeUndefined();
  });

  it('rejects an unknown quantization, naming the valid ones', () => {
    expect(() => createEmbeddingCache(memoryVectorRecords(), { quantization: 'fp8' as never })).toThrow(/fp32, fp16, int8/);
  });
});

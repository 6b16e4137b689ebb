import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { cosine, randomUnitVectors } from '../embedding/vector-math.ts';
import { EmbeddingCacheError } from '../embedding/errors.ts';
import { openEmbeddingCache } from './embedding-cache.ts';

describe('the workers\' embedding cache (src/embedding encoding over src/store\'s database)', () => {
  const vectors = randomUnitVectors(3, 64, 7);

  it('persists quantized vectors across connections (a second visit)', async () => {
    const name = 'worker-embeddings-persist';
    const first = await openEmbeddingCache({ name, quantization: 'int8' });
    expect(first.name).toBe(name);
    await first.putMany('m@main', 'image', vectors.map((vector, i) => ({ hash: `h${i}`, vector })));
    expect(await first.payloadBytes()).toBe(3 * (64 + 4));
    first.close();
    const second = await openEmbeddingCache({ name });
    const back = await second.getMany('m@main', 'image', ['h0', 'h1', 'h2', 'missing']);
    back.slice(0, 3).forEach((v, i) => expect(cosine(v!, vectors[i]!)).toBeGreaterThan(0.9999));
    expect(back[3]).toBeUndefined();
    second.close();
  });

  it('rejects an unknown quantization before opening anything', async () => {
    await expect(openEmbeddingCache({ name: 'never-opened', quantization: 'fp8' as never })).rejects.toBeInstanceOf(EmbeddingCacheError);
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('never-opened');
  });
});

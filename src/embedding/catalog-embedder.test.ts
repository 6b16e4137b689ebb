import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { Item } from '../catalog/types.ts';
import { embedCatalogFeatures } from './catalog-embedder.ts';
import { loadClipEmbedder, type ClipEmbedder } from './clip-embedder.ts';
import { createEmbeddingCache, type CachedVector, type EmbeddingCache } from './embedding-cache.ts';
import { memoryVectorRecords } from './test-fixtures.ts';
import { cosine } from './vector-math.ts';

const FIXTURE = join(import.meta.dirname, '../../public/models/tiny-clip');

async function pngUrl(seed: number): Promise<string> {
  const pixels = Buffer.alloc(16 * 16 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * seed * 37) % 256;
  const png = await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

describe('catalog embedding through the cache', () => {
  let clip: ClipEmbedder;
  let items: Item[];
  let loads = 0;
  const embedder = async () => {
    loads += 1;
    return clip;
  };
  beforeAll(async () => {
    clip = await loadClipEmbedder({ model: FIXTURE, batchSize: 4 });
    items = [
      { id: 'a', domain: 'food', title: 'Dark chocolate bar', image: await pngUrl(1) },
      { id: 'b', domain: 'food', title: 'Green tea' },
      { id: 'c', domain: 'kitchen', image: await pngUrl(2) },
      { id: 'd', domain: 'kitchen', title: '   ', image: await pngUrl(3) },
      { id: 'e', domain: 'kitchen', title: 'Chef knife', image: await pngUrl(4) },
    ];
  });
  afterAll(() => clip?.dispose());

  it('misses, then hits on a second visit with 0 model runs and no model load, then invalidates one item', async () => {
    const catalog = createCatalog('shop', items);
    const shelf = new Map<string, CachedVector>();
    let cache: EmbeddingCache = createEmbeddingCache(memoryVectorRecords('catalog-cache-test', shelf));
    const first = await embedCatalogFeatures(catalog, { model: clip.id, embedder, cache });
    expect(first.stats).toEqual({ text: { hits: 0, misses: 3, absent: 2 }, image: { hits: 0, misses: 4, absent: 1 } });
    expect(first.runs).toEqual({ text: 1, image: 1 });
    const [text, image] = first.tables;
    expect(text!.modality).toBe('text');
    expect(Array.from(text!.present)).toEqual([0, 1, 1, 0, 0, 1]);
    expect(Array.from(image!.present)).toEqual([0, 1, 0, 1, 1, 1]);
    expect(text!.vectors.subarray(3 * 32, 4 * 32).every((x) => x === 0)).toBe(true);
    expect(text!.encoder).toBe('tiny-clip@main');
    cache.close();

    loads = 0;
    cache = createEmbeddingCache(memoryVectorRecords('catalog-cache-test', shelf));
    const second = await embedCatalogFeatures(catalog, { model: clip.id, embedder, cache });
    expect(second.runs).toEqual({ text: 0, image: 0 });
    expect(loads).toBe(0);
    expect(second.stats.text).toEqual({ hits: 3, misses: 0, absent: 2 });
    for (let t = 0; t < 2; t++) {
      const a = first.tables[t]!;
      const b = second.tables[t]!;
      expect(Array.from(b.present)).toEqual(Array.from(a.present));
      for (let i = 1; i <= 5; i++) {
        if (!a.present[i]) continue;
        expect(1 - cosine(a.vectors.subarray(i * 32, i * 32 + 32), b.vectors.subarray(i * 32, i * 32 + 32))).toBeLessThan(1e-6);
      }
    }

    const changed = createCatalog('shop', items.map((it) => (it.id === 'b' ? { ...it, title: 'Green tea, 20 bags' } : it)));
    const third = await embedCatalogFeatures(changed, { model: clip.id, embedder, cache });
    expect(third.stats.text).toEqual({ hits: 2, misses: 1, absent: 2 });
    expect(third.stats.image).toEqual({ hits: 4, misses: 0, absent: 1 });
    expect(third.runs).toEqual({ text: 1, image: 0 });
    expect(await cache.count(clip.id)).toBe(8);
    cache.close();
  });

  it('works without a cache and survives a failing cache write (vectors kept, error counted)', async () => {
    const catalog = createCatalog('shop', items);
    const plain = await embedCatalogFeatures(catalog, { model: clip.id, embedder, modalities: ['text'] });
    expect(plain.tables).toHaveLength(1);
    const broken = createEmbeddingCache(memoryVectorRecords('broken'));
    const failing = { ...broken, putMany: async () => Promise.reject(new Error('QuotaExceededError')) };
    const result = await embedCatalogFeatures(catalog, { model: clip.id, embedder, cache: failing, modalities: ['text'] });
    expect(result.cacheWriteErrors).toBe(3);
    expect(Array.from(result.tables[0]!.vectors)).toEqual(Array.from(plain.tables[0]!.vectors));
    broken.close();
  });
});

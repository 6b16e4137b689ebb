import { describe, expect, it } from 'vitest';
import { createLexicalEncoder, hash32, lexicalOptionsFor, lexicalTokens, parseLexicalEncoderId } from './lexical-encoder.ts';
import { UnsupportedEncoderError } from './errors.ts';
import { createCatalog } from '../catalog/catalog.ts';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));

describe('lexical encoder', () => {
  it('has a stable id naming version, dim and a non-zero seed', () => {
    expect(createLexicalEncoder().id).toBe('lexical-v1-d256');
    expect(createLexicalEncoder({ dim: 512 }).id).toBe('lexical-v1-d512');
    expect(createLexicalEncoder({ dim: 64, seed: 7 }).id).toBe('lexical-v1-d64-s7');
  });

  it('tokenizes lowercase, accent-free letter and digit runs', () => {
    expect(lexicalTokens('Crème Brûlée, 13-Ounce (Pack of 12)')).toEqual([
      'creme', 'brulee', '13', 'ounce', 'pack', 'of', '12',
    ]);
  });

  it('hashes with known FNV-1a + fmix32 values (pins cross-platform bits)', () => {
    // FNV-1a("a") = 0xe40c292c; fmix32 of that, computed by hand-checked reference code.
    let h = 0xe40c292c;
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
    expect(hash32('a', 0)).toBe(h >>> 0);
    expect(hash32('a', 1)).not.toBe(hash32('a', 0));
  });

  it('is deterministic and pinned: same text, same bits; golden checksum of one vector', () => {
    const enc = createLexicalEncoder();
    const a = enc.encode('Stainless Steel Chef Knife, 8 inch')!;
    const b = createLexicalEncoder().encode('Stainless Steel Chef Knife, 8 inch')!;
    expect(Array.from(a)).toEqual(Array.from(b));
    const nonzero = a.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0);
    expect(nonzero).toBeGreaterThan(20);
    expect(nonzero).toBeLessThanOrEqual(256);
    // Pinned: lexical-v1 vectors must never change silently (ids go into model manifests).
    const pinned = createLexicalEncoder({ dim: 64 }).encode('Stainless Steel Chef Knife, 8 inch')!;
    const expected = [0.07845, 0, -0.07845, -0.301131, -0.268571, -0.222681, 0, 0];
    expected.forEach((x, i) => expect(pinned[i]).toBeCloseTo(x, 5));
    expect(hash32('a', 0)).toBe(444641715);
  });

  it('returns unit vectors for 64..1024 dims', () => {
    for (const dim of [64, 128, 256, 512, 1024, 300]) {
      const v = createLexicalEncoder({ dim }).encode('Organic Green Tea, 100 bags')!;
      expect(v).toHaveLength(dim);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('puts similar titles closer than unrelated ones', () => {
    const enc = createLexicalEncoder();
    const knife = enc.encode('Stainless Steel Chef Knife 8 inch')!;
    const knife2 = enc.encode('8-inch Chef\'s Knife, stainless steel blade')!;
    const tea = enc.encode('Organic Green Tea Bags, 100 count')!;
    const teas = enc.encode('Green tea bag organic')!;
    expect(dot(knife, knife2)).toBeGreaterThan(0.5);
    expect(dot(tea, teas)).toBeGreaterThan(0.35);
    expect(dot(tea, teas)).toBeGreaterThan(Math.abs(dot(teas, knife)) + 0.3);
    expect(Math.abs(dot(knife, tea))).toBeLessThan(0.2);
    expect(dot(knife, knife2)).toBeGreaterThan(dot(knife, tea) + 0.4);
  });

  it('character n-grams relate word variants without shared words', () => {
    const enc = createLexicalEncoder({ dim: 1024 });
    const a = enc.encode('chocolates')!;
    const b = enc.encode('chocolate')!;
    const c = enc.encode('spatula')!;
    expect(dot(a, b)).toBeGreaterThan(0.4);
    expect(dot(a, b)).toBeGreaterThan(Math.abs(dot(a, c)) + 0.3);
  });

  it('gives undefined (never a zero vector) when there are no tokens', () => {
    const enc = createLexicalEncoder();
    expect(enc.encode('')).toBeUndefined();
    expect(enc.encode('   !!! ,,, ---')).toBeUndefined();
  });

  it('rejects an invalid dim or seed with a message naming the valid range', () => {
    expect(() => createLexicalEncoder({ dim: 4 })).toThrow(/8\.\.65536/);
    expect(() => createLexicalEncoder({ dim: 100.5 })).toThrow(RangeError);
    expect(() => createLexicalEncoder({ seed: -1 })).toThrow(/seed/);
  });

  it('encodes a catalog: row 0 padding, absent items masked with zero rows, others unit', () => {
    const catalog = createCatalog('t', [
      { id: 'a', domain: 'food', title: 'Dark chocolate bar' },
      { id: 'b', domain: 'kitchen' },
      { id: 'c', domain: 'kitchen', title: '', description: 'Nonstick frying pan, 10 inch' },
      { id: 'd', domain: 'food', title: '???' },
    ]);
    const enc = createLexicalEncoder({ dim: 64 });
    const table = enc.encodeCatalog(catalog);
    expect(table.modality).toBe('text');
    expect(table.encoder).toBe('lexical-v1-d64');
    expect(table.vectors).toHaveLength(5 * 64);
    expect(Array.from(table.present)).toEqual([0, 1, 0, 1, 0]);
    const row = (i: number): Float32Array => table.vectors.subarray(i * 64, (i + 1) * 64);
    expect(row(0).every((x) => x === 0)).toBe(true);
    expect(row(2).every((x) => x === 0)).toBe(true);
    expect(norm(row(1))).toBeCloseTo(1, 5);
    expect(Array.from(row(1))).toEqual(Array.from(enc.encode('Dark chocolate bar')!));
    expect(Array.from(row(3))).toEqual(Array.from(enc.encode('Nonstick frying pan, 10 inch')!));
  });

  it('weights the description below the title', () => {
    const enc = createLexicalEncoder();
    const item = { id: 'x', domain: 'k', title: 'Chef knife', description: 'Green tea' };
    const v = enc.encodeItem(item)!;
    expect(dot(v, enc.encode('Chef knife')!)).toBeGreaterThan(dot(v, enc.encode('Green tea')!));
  });
});

describe('lexical encoder ids', () => {
  it('are read back into the options that made them, and only valid ones', () => {
    for (const options of [{ dim: 256, seed: 0 }, { dim: 64, seed: 7 }]) {
      expect(parseLexicalEncoderId(createLexicalEncoder(options).id)).toEqual(options);
    }
    for (const id of ['lexical-v1-d3', 'lexical-v2-d64', 'clip-vit-b32', 'lexical-v1-d64-s', 'lexical-v1-d64x']) expect(parseLexicalEncoderId(id), id).toBeUndefined();
  });

  it('a model that needs another encoder gets a typed error naming it', () => {
    expect(lexicalOptionsFor([{ modality: 'text', encoder: 'lexical-v1-d32-s3' }], 'here')).toEqual([{ dim: 32, seed: 3 }]);
    expect(() => lexicalOptionsFor([{ modality: 'image', encoder: 'clip-vit-b32' }], 'the demo')).toThrow(UnsupportedEncoderError);
    expect(() => lexicalOptionsFor([{ modality: 'text', encoder: 'clip-vit-b32' }], 'the demo')).toThrow(/"clip-vit-b32"; the demo computes lexical-v1/);
  });
});

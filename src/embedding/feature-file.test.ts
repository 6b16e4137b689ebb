import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { FeatureTable } from '../catalog/features.ts';
import type { Item } from '../catalog/types.ts';
import { ID_FIELDS, itemsHash } from '../catalog/fingerprint.ts';
import { decodeFeatureFile, encodeFeatureFile, fetchFeatureFile, readFeatureFileHeader } from './feature-file.ts';
import { FeatureFileError } from './errors.ts';
import { createLexicalEncoder } from './lexical-encoder.ts';
import { cosine, randomUnitVectors } from './vector-math.ts';

const items: Item[] = Array.from({ length: 50 }, (_, k) => ({
  id: `sku-${k}`,
  domain: k % 2 ? 'food' : 'kitchen',
  ...(k % 7 === 3 ? {} : { title: `Item number ${k} ${k % 2 ? 'organic snack' : 'steel pan'}` }),
}));
const catalog = createCatalog('shop', items);
const text = createLexicalEncoder({ dim: 64 }).encodeCatalog(catalog);
const image: FeatureTable = (() => {
  const dim = 32;
  const vectors = new Float32Array(51 * dim);
  const present = new Uint8Array(51);
  randomUnitVectors(50, dim, 1).forEach((v, k) => {
    if (k % 5 === 0) return;
    vectors.set(v, (k + 1) * dim);
    present[k + 1] = 1;
  });
  return { modality: 'image', encoder: 'tiny-clip@fixture', dim, vectors, present };
})();

function worstCosineError(a: FeatureTable, b: FeatureTable): number {
  let worst = 0;
  for (let i = 1; i < a.present.length; i++) {
    if (!a.present[i]) continue;
    const row = (t: FeatureTable) => t.vectors.subarray(i * t.dim, (i + 1) * t.dim);
    worst = Math.max(worst, 1 - cosine(row(a), row(b)));
  }
  return worst;
}

describe('feature file', () => {
  it('round-trips fp32 exactly, with masks and header', async () => {
    const file = await decodeFeatureFile(await encodeFeatureFile(catalog, [text, image], 'fp32'), catalog);
    expect(file.header.catalog).toMatchObject({ name: 'shop', size: 50 });
    expect(file.header.tables.map((t) => [t.modality, t.encoder, t.dim, t.count])).toEqual([
      ['text', 'lexical-v1-d64', 64, 43],
      ['image', 'tiny-clip@fixture', 32, 40],
    ]);
    const [t, i] = file.tables as [FeatureTable, FeatureTable];
    expect(Array.from(t.present)).toEqual(Array.from(text.present));
    expect(Array.from(i.present)).toEqual(Array.from(image.present));
    expect(Array.from(t.vectors)).toEqual(Array.from(text.vectors));
    expect(Array.from(i.vectors)).toEqual(Array.from(image.vectors));
  });

  it('fp16 and int8 stay within measured cosine error of fp32 and shrink the file', async () => {
    const sizes: Record<string, number> = {};
    for (const q of ['fp32', 'fp16', 'int8'] as const) {
      const buffer = await encodeFeatureFile(catalog, [text, image], q);
      sizes[q] = buffer.byteLength;
      const [t, i] = (await decodeFeatureFile(buffer)).tables as [FeatureTable, FeatureTable];
      const bound = q === 'int8' ? 2e-4 : 1e-6;
      expect(worstCosineError(text, t)).toBeLessThan(bound);
      expect(worstCosineError(image, i)).toBeLessThan(bound);
      expect(Array.from(t.present)).toEqual(Array.from(text.present));
      for (let r = 1; r <= 50; r++) if (!t.present[r]) expect(t.vectors.subarray(r * 64, r * 64 + 64).every((x) => x === 0)).toBe(true);
    }
    expect(sizes.fp16!).toBeLessThan(sizes.fp32! * 0.6);
    expect(sizes.int8!).toBeLessThan(sizes.fp16! * 0.7);
  });

  it('is deterministic (same input, same bytes)', async () => {
    const a = new Uint8Array(await encodeFeatureFile(catalog, [text], 'int8'));
    const b = new Uint8Array(await encodeFeatureFile(catalog, [text], 'int8'));
    expect(a).toEqual(b);
  });

  it('refuses a file made for another catalog, naming both', async () => {
    const buffer = await encodeFeatureFile(catalog, [text]);
    const other = createCatalog('shop', [...items].reverse());
    await expect(decodeFeatureFile(buffer, other)).rejects.toThrow(/made for catalog "shop" \(50 items.*re-run npm run embed/);
  });

  it('rejects garbage, truncation, bad versions and mismatched tables with FeatureFileError', async () => {
    const buffer = await encodeFeatureFile(catalog, [text]);
    expect(() => readFeatureFileHeader(new ArrayBuffer(4))).toThrow(FeatureFileError);
    expect(() => readFeatureFileHeader(new TextEncoder().encode('NOTAFILE........').buffer)).toThrow(/does not start with/);
    expect(() => readFeatureFileHeader(buffer.slice(0, buffer.byteLength - 200))).toThrow(/truncated/);
    expect(() => readFeatureFileHeader(withHeader(buffer, { version: 9 }))).toThrow(/version 9 is not supported/);
    await expect(encodeFeatureFile(catalog, [text, text])).rejects.toThrow(/two tables for modality "text"/);
    const small = createCatalog('small', items.slice(0, 3));
    await expect(encodeFeatureFile(small, [text])).rejects.toThrow(/needs 4 rows/);
  });
});

describe('fetchFeatureFile', () => {
  it('fetches and decodes, and names the URL and status on failure', async () => {
    const buffer = await encodeFeatureFile(catalog, [text]);
    const ok = (async () => new Response(buffer)) as typeof fetch;
    expect((await fetchFeatureFile('/f.bin', catalog, ok)).tables).toHaveLength(1);
    const missing = (async () => new Response('nope', { status: 404 })) as typeof fetch;
    await expect(fetchFeatureFile('/f.bin', catalog, missing)).rejects.toThrow('could not fetch feature file /f.bin: HTTP 404');
  });
});

describe('feature file versions', () => {
  it('reads a version-1 file (its catalog identified by a SHA-256 of the ids) and still refuses it for another catalog', async () => {
    const v2 = await encodeFeatureFile(catalog, [text]);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(items.map((i) => i.id).join('\n'))));
    const sha = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    const v1 = withHeader(v2, { version: 1, catalog: { ...readFeatureFileHeader(v2).header.catalog, idHash: sha } });
    expect((await decodeFeatureFile(v1, catalog)).tables).toEqual((await decodeFeatureFile(v2, catalog)).tables);
    await expect(decodeFeatureFile(v1, createCatalog('shop', [...items].reverse()))).rejects.toThrow(/was made for catalog "shop"/);
  });

  it('identifies its catalog by src/catalog\'s id + domain hash', async () => {
    const { header } = readFeatureFileHeader(await encodeFeatureFile(catalog, [text]));
    expect(header.version).toBe(2);
    expect(header.catalog.idHash).toBe(itemsHash(catalog, ID_FIELDS));
  });
});

/** The same file with header fields replaced (the data area moved to the new 8-byte-aligned start). */
function withHeader(buffer: ArrayBuffer, patch: Record<string, unknown>): ArrayBuffer {
  const { header, dataStart } = readFeatureFileHeader(buffer);
  const json = new TextEncoder().encode(JSON.stringify({ ...header, ...patch }));
  const start = Math.ceil((12 + json.length) / 8) * 8;
  const out = new Uint8Array(start + buffer.byteLength - dataStart);
  out.set(new Uint8Array(buffer, 0, 8), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(new Uint8Array(buffer, dataStart), start);
  return out.buffer;
}

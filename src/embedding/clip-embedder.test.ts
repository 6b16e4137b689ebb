import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClipEmbedder, type ClipEmbedder } from './clip-embedder.ts';
import { EmbeddingInputError, ModelFileError } from './errors.ts';
import type { EmbeddingProgress } from './progress.ts';
import { cosine } from './vector-math.ts';

const FIXTURE = join(import.meta.dirname, '../../public/models/tiny-clip');
const EXPECTED = join(import.meta.dirname, 'fixtures/tiny-clip-text.json');
/** Texts whose Node embeddings are committed; the browser e2e must reproduce them to 1e-5. */
const PROBE_TEXTS = ['Stainless Steel Chef Knife, 8 inch', 'Organic green tea, 100 bags', 'a', 'Crème brûlée torch — 🔥 pro'];

async function png(r: number, g: number, b: number): Promise<Buffer> {
  const pixels = Buffer.alloc(40 * 24 * 3);
  for (let i = 0; i < 40 * 24; i++) pixels.set([(r + i) % 256, g, (b * i) % 256], i * 3);
  return sharp(pixels, { raw: { width: 40, height: 24, channels: 3 } }).png().toBuffer();
}

describe('CLIP embedder (tiny random-weight fixture, Node)', () => {
  let clip: ClipEmbedder;
  const events: EmbeddingProgress[] = [];
  beforeAll(async () => {
    clip = await loadClipEmbedder({ model: FIXTURE, device: 'auto', batchSize: 2, onProgress: (e) => events.push(e) });
  });
  afterAll(async () => clip?.dispose());

  it('is ready with id, dim, device and progress events', () => {
    expect(clip.id).toBe('tiny-clip@main');
    expect(clip.dim).toBe(32);
    expect(clip.device).toBe('cpu');
    const statuses = new Set(events.map((e) => e.status));
    expect(statuses).toContain('load');
    expect(statuses).toContain('download');
    expect(events.at(-1)).toMatchObject({ status: 'ready', model: 'tiny-clip@main', device: 'cpu' });
  });

  it('embeds texts to unit vectors in batches; a batch equals one-by-one', async () => {
    const before = clip.runs.text;
    const batch: EmbeddingProgress[] = [];
    const all = await clip.embedTexts(PROBE_TEXTS, (e) => batch.push(e));
    expect(clip.runs.text - before).toBe(2);
    expect(batch.map((e) => (e.status === 'batch' ? e.done : -1))).toEqual([2, 4]);
    for (const [i, text] of PROBE_TEXTS.entries()) {
      const [one] = await clip.embedTexts([text]);
      expect(all[i]).toHaveLength(32);
      expect(Math.hypot(...all[i]!)).toBeCloseTo(1, 5);
      for (let j = 0; j < 32; j++) expect(Math.abs(one![j]! - all[i]![j]!)).toBeLessThan(1e-6);
    }
    expect(cosine(all[0]!, all[1]!)).toBeLessThan(0.9999);
  });

  it('matches the committed Node reference vectors (shared with the browser e2e)', async () => {
    const vectors = (await clip.embedTexts(PROBE_TEXTS)).map((v) => Array.from(v));
    if (!existsSync(EXPECTED) || process.env.HAFREC_WRITE_FIXTURES === '1') {
      writeFileSync(EXPECTED, `${JSON.stringify({ model: clip.id, texts: PROBE_TEXTS, vectors })}\n`);
    }
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as { texts: string[]; vectors: number[][] };
    expect(expected.texts).toEqual(PROBE_TEXTS);
    vectors.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - expected.vectors[i]![j]!)).toBeLessThan(1e-6)));
  });

  it('embeds images from a data: URL, a Blob and a file path alike', async () => {
    const bytes = await png(10, 200, 30);
    const dir = mkdtempSync(join(tmpdir(), 'hafrec-img-'));
    const file = join(dir, 'x.png');
    writeFileSync(file, bytes);
    const url = `data:image/png;base64,${bytes.toString('base64')}`;
    const other = `data:image/png;base64,${(await png(250, 3, 90)).toString('base64')}`;
    const [a, b, c, d] = await clip.embedImages([url, new Blob([new Uint8Array(bytes)], { type: 'image/png' }), file, other]);
    rmSync(dir, { recursive: true });
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeGreaterThan(0.999999);
    expect(cosine(a!, c!)).toBeGreaterThan(0.999999);
    expect(cosine(a!, d!)).toBeLessThan(0.9999);
  });

  it('names the bad input: empty text, unreadable image', async () => {
    await expect(clip.embedTexts(['ok', '  '])).rejects.toThrow(EmbeddingInputError);
    await expect(clip.embedTexts(['ok', '  '])).rejects.toThrow(/input #1: text is empty/);
    await expect(clip.embedImages(['data:image/png;base64,AAAA'])).rejects.toThrow(/input #0: image could not be read/);
  });
});

describe('CLIP loading errors', () => {
  it('names a missing model file and what a CLIP folder needs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hafrec-clip-'));
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'onnx/vision_model.onnx'));
    try {
      await expect(loadClipEmbedder({ model: dir, modalities: ['text'] })).resolves.toBeDefined();
      const failure = loadClipEmbedder({ model: dir });
      await expect(failure).rejects.toThrow(ModelFileError);
      await expect(loadClipEmbedder({ model: dir })).rejects.toThrow(/cannot load onnx\/vision_model\.onnx.*needs config\.json/);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert' }));
      await expect(loadClipEmbedder({ model: dir })).rejects.toThrow(/model_type is "bert", not "clip"/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('rejects bad options with the valid values', async () => {
    await expect(loadClipEmbedder({ model: FIXTURE, device: 'webgpu' })).rejects.toThrow(/"auto" or "cpu" in Node/);
    await expect(loadClipEmbedder({ model: FIXTURE, dtype: 'fp8' as never })).rejects.toThrow(/fp32, fp16, q8/);
    await expect(loadClipEmbedder({ model: FIXTURE, batchSize: 0 })).rejects.toThrow(/positive integer/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCatalogJson } from '../src/catalog/catalog-json.ts';
import { decodeFeatureFile } from '../src/embedding/feature-file.ts';
import { createLexicalEncoder } from '../src/embedding/lexical-encoder.ts';
import { cosine } from '../src/embedding/vector-math.ts';
import { runEmbed } from './embed.ts';

const dir = mkdtempSync(join(tmpdir(), 'hafrec-embed-cli-'));
afterAll(() => rmSync(dir, { recursive: true }));

async function catalogFile(): Promise<{ path: string; json: unknown[] }> {
  const pixels = Buffer.alloc(20 * 20 * 3, 90);
  writeFileSync(join(dir, 'pan.png'), await sharp(pixels, { raw: { width: 20, height: 20, channels: 3 } }).png().toBuffer());
  const json = [
    { id: 'p1', domain: 'kitchen', title: 'Cast iron skillet', image: 'pan.png', price: 30 },
    { id: 'p2', domain: 'food', title: 'Espresso beans, 1 lb' },
    { id: 3, domain: 'food', description: 'no title, no image' },
  ];
  const path = join(dir, 'shop.json');
  writeFileSync(path, JSON.stringify(json));
  return { path, json };
}

describe('npm run embed', () => {
  it('writes a lexical feature file for a storefront JSON catalog that decodes against it', async () => {
    const { path, json } = await catalogFile();
    const out = join(dir, 'lex.bin');
    expect(await runEmbed(['--catalog', path, '--model', 'lexical', '--dim', '64', '--out', out])).toMatch(/wrote .*lex\.bin/);
    const catalog = parseCatalogJson(json, 'shop');
    const file = await decodeFeatureFile(new Uint8Array(readFileSync(out)).buffer, catalog);
    const [text] = file.tables;
    expect(text!.encoder).toBe('lexical-v1-d64');
    expect(Array.from(text!.present)).toEqual([0, 1, 1, 1]); // lexical also reads descriptions
    const expected = createLexicalEncoder({ dim: 64 }).encode('Cast iron skillet')!;
    expect(cosine(text!.vectors.subarray(64, 128), expected)).toBeGreaterThan(0.99999);
  });

  it('writes CLIP text+image tables with the tiny fixture; relative image paths resolve beside the catalog', async () => {
    const { path, json } = await catalogFile();
    const out = join(dir, 'clip.bin');
    await runEmbed(['--catalog', path, '--model', resolve('public/models/tiny-clip'), '--out', out, '--quantization', 'int8']);
    const file = await decodeFeatureFile(new Uint8Array(readFileSync(out)).buffer, parseCatalogJson(json, 'shop'));
    expect(file.header.tables.map((t) => [t.modality, t.encoder, t.dim, t.count, t.quantization])).toEqual([
      ['text', 'tiny-clip@main', 32, 2, 'int8'],
      ['image', 'tiny-clip@main', 32, 1, 'int8'],
    ]);
  });

  it('fails with a usage message on missing flags or a bad catalog path', async () => {
    await expect(runEmbed(['--model', 'lexical'])).rejects.toThrow(/usage: npm run embed/);
    await expect(runEmbed(['--catalog', join(dir, 'nope.json'), '--model', 'lexical', '--out', 'x'])).rejects.toThrow(/no such file/);
    await expect(runEmbed(['--catalog', dir, '--model', 'lexical', '--out', 'x', '--quantization', 'fp8'])).rejects.toThrow(/fp32, fp16, int8/);
  });
});

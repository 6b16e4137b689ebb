import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { closeServer } from './static-shop-server.ts';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './isolated.ts';
import { runEmbed } from '../scripts/embed.ts';

const FIXTURE = 'public/models/tiny-clip';
const EXPECTED = JSON.parse(readFileSync('src/embedding/fixtures/tiny-clip-text.json', 'utf8')) as { texts: string[]; vectors: number[][] };

let server: Server;
let host = '';
const served: string[] = [];

/** A stand-in for the hub (or a store's own model host): /{owner}/{name}/resolve/{revision}/{file}, with CORS. */
test.beforeAll(async () => {
  server = createServer((req, res) => {
    served.push(`${req.method} ${req.url}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const match = /^\/hafrec-test\/tiny-clip\/resolve\/([\w.-]+)\/(.+)$/.exec(req.url ?? '');
    const file = match ? normalize(match[2]!) : '';
    if (!match || file.startsWith('..')) return void res.writeHead(404).end('not found');
    try {
      const body = readFileSync(join(FIXTURE, file));
      res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  host = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});
test.afterAll(() => closeServer(server));

async function open(page: Page): Promise<void> {
  await page.goto('e2e/pages/embedding.html', { waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

test('loads a hub id from a host in the hub URL layout (remoteHost) and names a missing model', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await open(page);
  const loaded = await page.evaluate(
    (remoteHost) => window.embeddingPage.load({ model: 'hafrec-test/tiny-clip', revision: 'v1', remoteHost, device: 'wasm', cacheName: null }),
    host,
  );
  expect(loaded).toEqual({ model: 'hafrec-test/tiny-clip@v1', device: 'wasm', dim: 32 });
  expect(served).toContain('GET /hafrec-test/tiny-clip/resolve/v1/onnx/text_model.onnx');
  expect(served).toContain('GET /hafrec-test/tiny-clip/resolve/v1/onnx/vision_model.onnx');
  const vectors = await page.evaluate((texts) => window.embeddingPage.embedTexts(texts), EXPECTED.texts);
  vectors.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - EXPECTED.vectors[i]![j]!)).toBeLessThan(1e-5)));
  const images = await page.evaluate(() => window.embeddingPage.embedImages(3));
  expect(images).toHaveLength(3);

  const error = await page.evaluate(
    (remoteHost) => window.embeddingPage.loadError({ model: 'hafrec-test/missing', remoteHost, cacheName: null }),
    host,
  );
  expect(error?.name).toBe('ModelFileError');
  expect(error?.message).toMatch(/model "hafrec-test\/missing@main": cannot load config\.json/);
  expect(requests.filter((u) => !/^(data:|blob:)/.test(u) && new URL(u).hostname !== '127.0.0.1')).toEqual([]);
});

test('the browser loads a Food-Kitchen feature file written by `npm run embed` (lexical)', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'hafrec-e2e-features-'));
  const out = join(dir, 'food-kitchen.lexical.bin');
  try {
    await runEmbed(['--catalog', 'public/data/food-kitchen', '--model', 'lexical', '--out', out]);
    const body = readFileSync(out);
    await page.route('**/e2e-features/food-kitchen.lexical.bin', (route) => route.fulfill({ body, contentType: 'application/octet-stream' }));
    await open(page);
    const result = await page.evaluate(() =>
      window.embeddingPage.loadFeatureFile('/e2e-features/food-kitchen.lexical.bin', '/data/food-kitchen/', [1, 2, 8661, 8662, 36298]),
    );
    expect(result.size).toBe(36298);
    expect(result.header.catalog).toMatchObject({ name: 'food-kitchen', size: 36298 });
    expect(result.header.tables[0]).toMatchObject({ modality: 'text', encoder: 'lexical-v1-d256', dim: 256, quantization: 'fp16' });
    expect(result.present).toBe(36298);
    // Re-encoded in the browser, the same titles give the same vectors (fp16 storage aside).
    for (const c of result.cosines) expect(c).toBeGreaterThan(0.99999);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

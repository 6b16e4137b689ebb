import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './isolated.ts';

const EXPECTED = JSON.parse(readFileSync('src/embedding/fixtures/tiny-clip-text.json', 'utf8')) as {
  model: string;
  texts: string[];
  vectors: number[][];
};
const N = 40;

async function open(page: Page): Promise<void> {
  await page.goto('e2e/pages/embedding.html', { waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

const isLocal = (url: string): boolean => /^(data:|blob:)/.test(url) || new URL(url).hostname === '127.0.0.1';

test('offline: a catalog embeds in the worker, the page stays responsive, a revisit hits the cache', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await open(page);
  const loaded = await page.evaluate(() =>
    window.embeddingPage.load({ model: '/models/tiny-clip', device: 'auto', cacheName: 'e2e-embeddings' }),
  );
  // SwiftShader is a fallback adapter: 'auto' must pick wasm over it.
  expect(loaded).toEqual({ model: 'tiny-clip@main', device: 'wasm', dim: 32 });
  const progress = await page.evaluate(() => window.embeddingPage.events.map((e) => e.status));
  expect(progress).toEqual(expect.arrayContaining(['load', 'download', 'ready']));

  await context.setOffline(true);
  const first = await page.evaluate((n) => window.embeddingPage.embedCatalog(n), N);
  const withTitle = Array.from({ length: N }, (_, k) => k % 7 !== 6).filter(Boolean).length;
  const withImage = Array.from({ length: N }, (_, k) => k % 5 !== 4).filter(Boolean).length;
  expect(first.stats.text).toEqual({ hits: 0, misses: withTitle, absent: N - withTitle });
  expect(first.stats.image).toEqual({ hits: 0, misses: withImage, absent: N - withImage });
  expect(first.runs.text).toBeGreaterThan(0);
  expect(first.runs.image).toBeGreaterThan(0);
  for (const t of first.tables) {
    expect(t.encoder).toBe('tiny-clip@main');
    expect(t.absentZero).toBe(true);
    for (const norm of t.norms) expect(norm).toBeCloseTo(1, 4);
  }
  expect(first.tables[0]!.present[7]).toBe(0); // item-6 has no title
  expect(first.tables[1]!.present[5]).toBe(0); // item-4 has no image
  console.log(
    `first visit: ${first.ms.toFixed(0)} ms; main thread: max timer gap ${first.maxGapMs.toFixed(0)} ms over ${first.ticks} ticks, ` +
      `long tasks [${first.longTasksMs.map((d) => d.toFixed(0)).join(', ')}] ms`,
  );
  // The main thread only posts messages: no long task there, and the 10 ms timer keeps ticking.
  // (Embedding these 40 items on the main thread instead gives long tasks of about 100 ms and more.)
  expect(first.ticks).toBeGreaterThan(first.ms / 10 / 3);
  expect(Math.max(0, ...first.longTasksMs)).toBeLessThan(100);
  expect(first.maxGapMs).toBeLessThan(400); // a loose bound: the 2-core CI box is shared
  // The checks above can fail: the same probe sees a 200 ms block of the main thread as a long
  // task and a stalled timer (the instrument works whatever the box's speed).
  const blocked = await page.evaluate(() => window.embeddingPage.blockMainThread(200));
  expect(Math.max(0, ...blocked.longTasksMs)).toBeGreaterThanOrEqual(100);
  expect(blocked.maxGapMs).toBeGreaterThanOrEqual(190);
  // For scale, not asserted: the same catalog embedded on the main thread stalls the timer for
  // 100-200 ms, yet whether the Long Tasks API reports that work varies between runs (0 long
  // tasks beside a 191 ms gap once), so the instrument check above is what the bounds rest on.
  const control = await page.evaluate((n) => window.embeddingPage.embedCatalogOnMainThread(n), N);
  console.log(`main-thread control: max gap ${control.maxGapMs.toFixed(0)} ms, longest task ${Math.max(0, ...control.longTasksMs).toFixed(0)} ms`);

  // Second visit: the page itself needs the network (there is no service worker), so it
  // reloads online, then goes offline before embedding; the model is not even loaded (lazy).
  await context.setOffline(false);
  await page.reload({ waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const lazy = await page.evaluate(() =>
    window.embeddingPage.load({ model: '/models/tiny-clip', cacheName: 'e2e-embeddings', eager: false }),
  );
  expect(lazy).toEqual({ model: 'tiny-clip@main' });
  await context.setOffline(true);
  const second = await page.evaluate((n) => window.embeddingPage.embedCatalog(n), N);
  expect(second.runs).toEqual({ text: 0, image: 0 });
  expect(second.stats.text).toEqual({ hits: withTitle, misses: 0, absent: N - withTitle });
  expect(second.stats.image).toEqual({ hits: withImage, misses: 0, absent: N - withImage });
  second.tables.forEach((t, m) => {
    expect(t.present).toEqual(first.tables[m]!.present);
    t.first.forEach((x, j) => expect(Math.abs(x - first.tables[m]!.first[j]!)).toBeLessThan(2e-3));
  });

  // A changed title invalidates exactly that item; the model loads offline from the browser cache.
  const third = await page.evaluate((n) => window.embeddingPage.embedCatalog(n, 3), N);
  expect(third.stats.text).toEqual({ hits: withTitle - 1, misses: 1, absent: N - withTitle });
  expect(third.stats.image?.misses).toBe(0);
  expect(third.runs).toEqual({ text: 1, image: 0 });
  const info = await page.evaluate(() => window.embeddingPage.cacheInfo());
  expect(info.count).toBe(withTitle + 1 + withImage);
  console.log(`cache: ${info.count} vectors, ${info.payloadBytes} payload bytes (${(info.payloadBytes / info.count).toFixed(0)} per vector)`);

  expect(requests.filter((u) => !isLocal(u))).toEqual([]);
  expect(requests.some((u) => u.includes('ort-wasm-simd-threaded'))).toBe(true);
});

test('text embeddings in the browser match Node to 1e-5 (wasm and webgpu)', async ({ page }) => {
  await open(page);
  for (const device of ['wasm', 'webgpu'] as const) {
    const loaded = await page.evaluate(
      (d) => window.embeddingPage.load({ model: '/models/tiny-clip', device: d, cacheName: null, modalities: ['text'] }),
      device,
    );
    expect(loaded.device).toBe(device);
    const vectors = await page.evaluate((texts) => window.embeddingPage.embedTexts(texts), EXPECTED.texts);
    let worst = 0;
    vectors.forEach((v, i) => v.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - EXPECTED.vectors[i]![j]!)))));
    console.log(`${device}: max |browser - node| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(device === 'wasm' ? 1e-5 : 1e-4);
  }
});

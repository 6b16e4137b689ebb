import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { appBin, packIntoFreshApp, type PackedApp } from '../scripts/package/pack-consumer.ts';
import { serveStatic } from './static-shop-server.ts';

/**
 * The package as a user gets it: `npm pack`, installed in a fresh Vite app
 * (scripts/package/consumer/), type-checked against the declarations, imported in Node, built by
 * the app's own Vite, and opened: the page uses every browser face and the engine worker, which
 * the app's build made from node_modules/hafrec, serves the fixture shop's HAF bundle.
 */
test.describe.configure({ mode: 'serial' });
let app: PackedApp;

test.beforeAll(() => {
  test.setTimeout(600_000);
  app = packIntoFreshApp();
});

test.afterAll(() => {
  if (app) rmSync(dirname(app.dir), { recursive: true, force: true });
});

test('the tarball holds the built faces and the tag, not the sources or the demo', () => {
  const files = readdirSync(join(app.dir, 'node_modules/hafrec'), { recursive: true }).map(String);
  for (const face of ['lib/index.js', 'lib/index.d.ts', 'lib/model/index.js', 'lib/engine/hafrec-worker.js', 'lib/embed/embed.js', 'lib/embed/embed-worker.js']) expect(files).toContain(face);
  expect(files.filter((f) => f.startsWith('src/') || f.startsWith('dist/') || f.startsWith('public/') || f.endsWith('.test.js'))).toEqual([]);
});

test("an app's TypeScript checks against the declarations, and Node imports the Node-safe faces", () => {
  test.setTimeout(120_000);
  appBin(app, 'tsc', ['-p', '.']);
  const loaded = JSON.parse(execFileSync(process.execPath, ['node-check.mjs'], { cwd: app.dir, encoding: 'utf8' })) as Record<string, number>;
  for (const face of ['hafrec', 'hafrec/catalog', 'hafrec/eval', 'hafrec/store', 'hafrec/model', 'hafrec/node']) expect(loaded[face], face).toBeGreaterThan(0);
});

test("the app's Vite build runs the engine worker from the package and recommends", async ({ page }) => {
  test.setTimeout(300_000);
  appBin(app, 'vite', ['build', '--logLevel', 'warn']);
  const assets = readdirSync(join(app.dir, 'dist/assets'));
  expect(assets.some((f) => f.startsWith('hafrec-worker-'))).toBe(true);
  expect(assets.some((f) => f.startsWith('tfjs-backend-wasm-simd-') && f.endsWith('.wasm'))).toBe(true);
  const server = await serveStatic(join(app.dir, 'dist'));
  try {
    await page.goto(`${server.origin}/index.html`);
    const out = page.locator('#out');
    await expect(out).not.toHaveText('running', { timeout: 240_000 });
    const text = (await out.textContent()) ?? '';
    expect(text).not.toMatch(/^error/);
    const outcome = JSON.parse(text) as { catalogItems: number; errorCode: string; stored: number; model: string; picks: string[]; faces: string[] };
    expect(outcome).toMatchObject({ catalogItems: 36_298, errorCode: 'hafrec/unknown-item', stored: 1, faces: ['number', 'function', 'function'] });
    // The fixture shop's bundle: HAF blended with its co-occurrence prior.
    expect(outcome.model).toBe('haf+cooccurrence (bundle)');
    expect(outcome.picks).toHaveLength(5);
  } finally {
    await server.close();
  }
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSW, getManifest } from 'workbox-build';
import { inScope, inScopeNavigation, MAX_PRECACHED_FILE_BYTES, RUNTIME_CACHE, serviceWorkerConfig } from './sw-build.ts';

/** A build folder in miniature: one file of each kind the demo's dist/ holds. */
const FILES: Record<string, number> = {
  'index.html': 100,
  'assets/main-Ab12Cd34.js': 100,
  'assets/main-Ab12Cd34.js.map': 100,
  // Bigger than Workbox's 2 MiB default, like the ORT wasm (26.9 MB) and the HAF weights.
  'assets/ort-wasm-simd-threaded.asyncify-Xy12Zw34.wasm': 3 * 1024 * 1024,
  'data/food-kitchen/items.tsv.gz': 100,
  'data/.gitkeep': 0,
  'models/haf-food-kitchen/weights.bin': 100,
  'e2e/pages/probe.html': 100,
  'shop/catalog.json': 100,
  'shop-cooc/index.html': 100,
  'shop-clip/index.html': 100,
  'embed.js': 100,
  'embed-worker.js': 100,
  'embed-chunks/haf-runtime-Ab12Cd34.js': 100,
  'sw.js': 100,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hafrec-sw-'));
  for (const [path, size] of Object.entries(FILES)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), Buffer.alloc(size, path));
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The precache list Workbox builds from the plugin's configuration. */
async function manifest(): Promise<{ urls: string[]; revisions: Map<string, string | null>; warnings: string[] }> {
  const { globDirectory, globPatterns, globIgnores, maximumFileSizeToCacheInBytes } = serviceWorkerConfig(dir);
  const { manifestEntries, warnings } = await getManifest({ globDirectory: globDirectory!, globPatterns, globIgnores, maximumFileSizeToCacheInBytes });
  const entries = manifestEntries ?? [];
  return { urls: entries.map((e) => e.url).sort(), revisions: new Map(entries.map((e) => [e.url, e.revision])), warnings };
}

describe('the demo service worker (Workbox)', () => {
  it('precaches the app, its data and models, and leaves out maps, e2e pages, the fixture shops, the storefront tag and itself', async () => {
    const { urls, warnings } = await manifest();
    expect(warnings).toEqual([]);
    expect(urls).toEqual([
      'assets/main-Ab12Cd34.js',
      'assets/ort-wasm-simd-threaded.asyncify-Xy12Zw34.wasm',
      'data/food-kitchen/items.tsv.gz',
      'index.html',
      'models/haf-food-kitchen/weights.bin',
    ]);
  });

  it('revisions every file by its bytes, so a changed file makes a new worker', async () => {
    const before = (await manifest()).revisions;
    await writeFile(join(dir, 'index.html'), 'changed');
    const after = (await manifest()).revisions;
    expect(after.get('index.html')).not.toBe(before.get('index.html'));
    expect(after.get('assets/main-Ab12Cd34.js')).toBe(before.get('assets/main-Ab12Cd34.js'));
    expect([...after.values()].every((revision) => typeof revision === 'string' && revision.length > 0)).toBe(true);
  });

  it('has room for the ONNX Runtime wasm (26.9 MB), the largest file precached', () => {
    expect(MAX_PRECACHED_FILE_BYTES).toBeGreaterThan(26_861_777);
  });

  it('answers only same-origin requests inside its scope, and falls back to the app shell only for navigations', () => {
    const global = globalThis as unknown as { registration?: { scope: string } };
    global.registration = { scope: 'https://shop.example/demo/' };
    try {
      const at = (href: string, sameOrigin = true, mode = 'cors') => ({ url: new URL(href), sameOrigin, request: { mode } });
      expect(inScope(at('https://shop.example/demo/models/extra/weights.bin'))).toBe(true);
      expect(inScope(at('https://shop.example/other/x.js'))).toBe(false);
      expect(inScope(at('https://cdn.example/demo/x.js', false))).toBe(false);
      expect(inScopeNavigation(at('https://shop.example/demo/?tab=store', true, 'navigate'))).toBe(true);
      expect(inScopeNavigation(at('https://shop.example/demo/models/extra/weights.bin'))).toBe(false);
      expect(inScopeNavigation(at('https://shop.example/elsewhere/', true, 'navigate'))).toBe(false);
    } finally {
      delete global.registration;
    }
    const [navigation, others] = serviceWorkerConfig(dir).runtimeCaching!;
    expect(navigation).toMatchObject({ urlPattern: inScopeNavigation, handler: 'NetworkFirst', options: { cacheName: RUNTIME_CACHE, precacheFallback: { fallbackURL: 'index.html' } } });
    expect(others).toMatchObject({ urlPattern: inScope, handler: 'NetworkFirst', options: { cacheName: RUNTIME_CACHE } });
    expect(others!.options).not.toHaveProperty('precacheFallback');
  });

  it('writes one self-contained sw.js (Workbox inlined) whose routes use only the worker globals', async () => {
    const { count, warnings, filePaths } = await generateSW(serviceWorkerConfig(dir));
    expect(warnings).toEqual([]);
    expect(count).toBe(5);
    expect(filePaths).toEqual([join(dir, 'sw.js')]);
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    expect(sw).not.toMatch(/importScripts/);
    expect(sw).toContain('"hafrec-demo"');
    expect(sw).toContain(`"${RUNTIME_CACHE}"`);
    expect(sw).toContain('globalThis.registration.scope');
    expect(sw).not.toContain('shop-clip/');
  }, 60_000);
});

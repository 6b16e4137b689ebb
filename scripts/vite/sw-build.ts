import { join, resolve } from 'node:path';
import { generateSW, type GenerateSWOptions } from 'workbox-build';
import type { Plugin } from 'vite';

/**
 * Files the offline cache leaves out (globs over the build folder): source maps, e2e pages,
 * the worker itself, the storefront fixture shops (`shop/`, ~10 MB for the 36,298-item HAF
 * shop, `shop-cooc/` and the CLIP shop `shop-clip/`) and the storefront tag (`embed.js`,
 * `embed-worker.js`, `embed-chunks/`, among them a second copy of the 27 MB ONNX Runtime
 * wasm), which are not part of the demo app. Dotfiles (`.gitkeep`) are never globbed.
 */
export const NOT_PRECACHED = ['**/*.map', 'e2e/**', 'shop/**', 'shop-cooc/**', 'shop-clip/**', 'embed.js', 'embed-worker.js', 'embed-chunks/**', 'sw.js'];

/**
 * Precache size limit per file. The largest precached file is ONNX Runtime's wasm
 * (`assets/ort-wasm-simd-threaded.asyncify-*.wasm`, 26.9 MB), then the HAF weights (5.4 MB);
 * Workbox's default (2 MiB) would leave both out. A file over the limit fails the build
 * (see `demoServiceWorker`) instead of silently missing offline.
 */
export const MAX_PRECACHED_FILE_BYTES = 32 * 1024 * 1024;

/** Cache of the same-origin files the precache does not hold, kept for offline use. */
export const RUNTIME_CACHE = 'hafrec-demo-runtime';

/**
 * Requests the runtime routes handle: same origin, inside the worker's scope. Workbox
 * writes this function's source into sw.js, so it may use only its argument and the
 * worker's globals (`registration`).
 */
export const inScope = ({ url, sameOrigin }: { url: URL; sameOrigin: boolean }): boolean =>
  sameOrigin && url.href.startsWith((globalThis as unknown as { registration: { scope: string } }).registration.scope);

/** `inScope` navigations (stringified into sw.js like `inScope`). */
export const inScopeNavigation = ({ url, sameOrigin, request }: { url: URL; sameOrigin: boolean; request: { mode: string } }): boolean =>
  request.mode === 'navigate' && sameOrigin && url.href.startsWith((globalThis as unknown as { registration: { scope: string } }).registration.scope);

/**
 * The Workbox configuration of the demo's service worker, for the build folder `outDir`:
 * - every built file but `NOT_PRECACHED` is precached at install (revisioned by Workbox's
 *   content hash, so a new build installs a new worker) and served from the cache first;
 *   `/` (any directory URL) is answered with its precached `index.html`;
 * - other same-origin requests in scope go to the network, and a copy of each successful
 *   response is kept: offline, that copy answers, and a navigation with none gets the
 *   precached `index.html` (the app shell);
 * - the new worker takes over at once (skipWaiting, clientsClaim) and deletes older precaches.
 */
export function serviceWorkerConfig(outDir: string): GenerateSWOptions {
  return {
    globDirectory: outDir,
    globPatterns: ['**/*'],
    globIgnores: NOT_PRECACHED,
    swDest: join(outDir, 'sw.js'),
    maximumFileSizeToCacheInBytes: MAX_PRECACHED_FILE_BYTES,
    cacheId: 'hafrec-demo',
    directoryIndex: 'index.html',
    skipWaiting: true,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    // One file, as before: sw.js carries the Workbox runtime it uses.
    inlineWorkboxRuntime: true,
    mode: 'production',
    sourcemap: false,
    runtimeCaching: [
      {
        urlPattern: inScopeNavigation,
        handler: 'NetworkFirst',
        options: { cacheName: RUNTIME_CACHE, precacheFallback: { fallbackURL: 'index.html' } },
      },
      { urlPattern: inScope, handler: 'NetworkFirst', options: { cacheName: RUNTIME_CACHE } },
    ],
  };
}

/**
 * Vite plugin: after the build is written, Workbox (`generateSW`) writes `sw.js` over the
 * build folder. Warnings (above all a file too large to precache) fail the build.
 */
export function demoServiceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'hafrec-demo-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const { count, size, warnings } = await generateSW(serviceWorkerConfig(outDir));
      if (warnings.length > 0) throw new Error(`hafrec: the demo service worker is incomplete:\n${warnings.join('\n')}`);
      this.info(`sw.js precaches ${count} files, ${(size / 1e6).toFixed(1)} MB`);
    },
  };
}

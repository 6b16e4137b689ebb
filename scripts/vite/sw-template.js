// hafrec demo service worker. Generated at build time from src/demo/sw-template.js: the
// build replaces the manifest below with every file of the build (app, workers, runtime
// wasm, dataset, model weights, features) and a hash of their bytes.
const MANIFEST = self.__HAFREC_PRECACHE__;
const PREFIX = 'hafrec-demo-';
const CACHE = PREFIX + MANIFEST.version;
const scopeUrl = new URL(self.registration.scope);
const urlOf = (path) => new URL(path, scopeUrl).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // One request per file, fresh from the server: a stale HTTP cache must not be frozen in.
      await Promise.all(MANIFEST.files.map((path) => cache.add(new Request(urlOf(path), { cache: 'reload' }))));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin || !url.href.startsWith(scopeUrl.href)) return;
  event.respondWith(respond(request, url));
});

async function respond(request, url) {
  const cache = await caches.open(CACHE);
  const key = request.mode === 'navigate' && (url.pathname.endsWith('/') || url.pathname === scopeUrl.pathname) ? urlOf('index.html') : url.href.split('#')[0];
  const hit = (await cache.match(key, { ignoreSearch: request.mode === 'navigate' })) ?? (await cache.match(request));
  if (hit) return hit;
  try {
    const response = await fetch(request);
    // Same-origin files outside the manifest (e.g. a model folder the store serves) are kept too.
    if (response.ok && response.type === 'basic' && !request.headers.has('range')) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const fallback = request.mode === 'navigate' ? await cache.match(urlOf('index.html')) : undefined;
    if (fallback) return fallback;
    throw error;
  }
}

/**
 * Registers the service worker that makes the demo work offline after one visit. Workbox
 * writes it at build time (see scripts/vite/sw-build.ts) with the list of every file to
 * precache, so it exists only in production builds.
 */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return undefined;
  try {
    const registration = await navigator.serviceWorker.register('./sw.js', { scope: './' });
    void dropLegacyCaches();
    return registration;
  } catch (error) {
    console.warn('hafrec: offline mode unavailable (service worker registration failed)', error);
    return undefined;
  }
}

/**
 * The hand-written worker that Workbox replaced kept everything in one `hafrec-demo-<16 hex>`
 * cache (~46 MB), which Workbox's cleanup does not know: delete it. (Should the old worker
 * still serve this page, it may refill it until Workbox's takes over; the next visit deletes it.)
 */
async function dropLegacyCaches(): Promise<void> {
  try {
    for (const name of await caches.keys()) if (/^hafrec-demo-[0-9a-f]{16}$/.test(name)) await caches.delete(name);
  } catch {
    // Cache Storage unavailable: nothing was kept either.
  }
}

/** Resolves when a service worker controls the page and has finished precaching. */
export async function offlineReady(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const registration = await navigator.serviceWorker.ready;
  return registration.active !== null;
}

/**
 * Registers the service worker that makes the demo work offline after one visit. It is
 * generated at build time (see scripts/vite/sw-build.ts) with the list of every file to precache, so
 * it exists only in production builds.
 */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return undefined;
  try {
    return await navigator.serviceWorker.register('./sw.js', { scope: './' });
  } catch (error) {
    console.warn('hafrec: offline mode unavailable (service worker registration failed)', error);
    return undefined;
  }
}

/** Resolves when a service worker controls the page and has finished precaching. */
export async function offlineReady(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const registration = await navigator.serviceWorker.ready;
  return registration.active !== null;
}

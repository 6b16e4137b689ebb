import type { Catalog } from '../catalog/types.ts';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import { cachingFetch, OFFLINE_HEADER, type OfflineCache } from './cached-fetch.ts';
import { AssetFetchError } from './errors.ts';
import { fetchAsset, parseAssetJson, readAssetBytes, readAssetJson, responseValidator } from './fetch-asset.ts';

export interface Loaded<T> {
  readonly value: T;
  readonly offline: boolean;
  /** What identifies these bytes (assetVersion); undefined for a copy read from the offline cache. */
  readonly version?: string;
}

/**
 * What identifies an asset's bytes: its ETag or Last-Modified when the server sends one,
 * else a SHA-256 of the body. A long-lived worker compares it to notice a new catalog or model.
 */
export async function assetVersion(response: Response): Promise<string> {
  return responseValidator(response) ?? bodyVersion(await response.arrayBuffer());
}

async function bodyVersion(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Network first (only the store's own URL, no credentials beyond same-origin), offline cache
 * second. Without a validator the body is read once, then hashed and parsed from the same bytes.
 */
async function fetchJson(what: string, url: string, fetchImpl: typeof fetch): Promise<{ json: unknown; offline: boolean; version?: string }> {
  const response = await fetchAsset(what, url, fetchImpl);
  const offline = response.headers.get(OFFLINE_HEADER) === '1';
  const validator = responseValidator(response);
  if (offline || validator) return { json: await readAssetJson(what, url, response), offline, ...(offline ? {} : { version: validator }) };
  const bytes = await readAssetBytes(what, url, response);
  return { json: parseAssetJson(what, url, bytes), offline, version: await bodyVersion(bytes) };
}

/**
 * The current version of an asset, as the HTTP cache and the shop's cache headers give it (a
 * fresh entry costs no request, a stale one a revalidation); undefined when the network
 * cannot say (offline, an error status).
 */
export async function currentVersion(url: string, fetchImpl: typeof fetch): Promise<string | undefined> {
  try {
    const response = await fetchImpl(url, { credentials: 'same-origin' });
    return response.ok ? await assetVersion(response) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The catalog, network first. Its offline copy is the response's bytes, one record in the
 * `models` cache store (cachingFetch): a 36,000-item catalog stored as 36,000 records took the
 * worker ~2.6 s of structured cloning on a first visit. Copies in the `items` store (written by
 * earlier releases) are still read when there is no other.
 */
export async function loadCatalog(url: string, cache: OfflineCache, fetchImpl: typeof fetch): Promise<Loaded<Catalog>> {
  try {
    const { json, ...loaded } = await fetchJson('catalog', url, cachingFetch(cache, fetchImpl));
    return { value: parseCatalogJson(json, url), ...loaded };
  } catch (error) {
    const cached = error instanceof AssetFetchError ? await cache.assets.readCatalogItems(url).catch(() => undefined) : undefined;
    if (!cached) throw error;
    return { value: parseCatalogJson(cached, url), offline: true };
  }
}

export async function loadModelManifest(url: string, cache: OfflineCache, fetchImpl: typeof fetch): Promise<Loaded<unknown>> {
  try {
    const { json: manifest, version } = await fetchJson('model', url, fetchImpl);
    if (cache.save) await cache.assets.saveModel(url, manifest).catch(() => undefined);
    return { value: manifest, offline: false, ...(version ? { version } : {}) };
  } catch (error) {
    const cached = error instanceof AssetFetchError ? await cache.assets.readModel(url).catch(() => undefined) : undefined;
    if (cached === undefined) throw error;
    return { value: cached, offline: true };
  }
}

import type { IDBPDatabase } from 'idb';
import type { Catalog } from '../catalog/types.ts';
import type { HafrecDB } from '../store/schema.ts';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import { readCatalogItems, readModel, saveCatalogCopy, saveModel } from '../store/asset-cache.ts';
import { AssetFetchError } from './errors.ts';

export interface Loaded<T> {
  readonly value: T;
  readonly offline: boolean;
}

/** Network first (only the store's own URL, no credentials beyond same-origin), offline cache second. */
async function fetchJson(what: string, url: string, fetchImpl: typeof fetch): Promise<{ json: unknown; version: string }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new AssetFetchError(what, url, `network error (${(error as Error).message})`);
  }
  if (!response.ok) throw new AssetFetchError(what, url, `HTTP ${response.status}`);
  const version = response.headers.get('etag') ?? response.headers.get('last-modified') ?? '';
  try {
    return { json: await response.json(), version };
  } catch {
    throw new AssetFetchError(what, url, 'the response is not valid JSON');
  }
}

/**
 * Where the offline copies go: `save` is false while the shopper has not consented, so that
 * "nothing is stored" holds for the store's public assets too (the copies already there are read).
 */
export interface AssetCache {
  readonly db: IDBPDatabase<HafrecDB>;
  readonly save: boolean;
}

export async function loadCatalog(url: string, cache: AssetCache, fetchImpl: typeof fetch): Promise<Loaded<Catalog>> {
  const { db } = cache;
  try {
    const { json, version } = await fetchJson('catalog', url, fetchImpl);
    const catalog = parseCatalogJson(json, url);
    // A large catalog takes a while to store: it is written in the background, and only when it changed.
    if (cache.save) void saveCatalogCopy(db, url, catalog.items, version).catch(() => undefined);
    return { value: catalog, offline: false };
  } catch (error) {
    const cached = error instanceof AssetFetchError ? await readCatalogItems(db, url).catch(() => undefined) : undefined;
    if (!cached) throw error;
    return { value: parseCatalogJson(cached, url), offline: true };
  }
}

export async function loadModelManifest(url: string, cache: AssetCache, fetchImpl: typeof fetch): Promise<Loaded<unknown>> {
  const { db } = cache;
  try {
    const { json: manifest } = await fetchJson('model', url, fetchImpl);
    if (cache.save) await saveModel(db, url, manifest).catch(() => undefined);
    return { value: manifest, offline: false };
  } catch (error) {
    const cached = error instanceof AssetFetchError ? await readModel(db, url).catch(() => undefined) : undefined;
    if (cached === undefined) throw error;
    return { value: cached, offline: true };
  }
}

import type { IDBPDatabase } from 'idb';
import type { Catalog } from '../catalog/types.ts';
import type { HafrecDB } from '../store/schema.ts';
import { parseCatalogJson } from '../catalog/catalog-json.ts';
import { readCatalogItems, readModel, saveModel } from '../store/asset-cache.ts';
import { cachingFetch, OFFLINE_HEADER } from './cached-fetch.ts';
import { AssetFetchError } from './errors.ts';
import { fetchAsset, readAssetJson } from './fetch-asset.ts';

export interface Loaded<T> {
  readonly value: T;
  readonly offline: boolean;
}

/** Network first (only the store's own URL, no credentials beyond same-origin), offline cache second. */
async function fetchJson(what: string, url: string, fetchImpl: typeof fetch): Promise<{ json: unknown; offline: boolean }> {
  const response = await fetchAsset(what, url, fetchImpl);
  return { json: await readAssetJson(what, url, response), offline: response.headers.get(OFFLINE_HEADER) === '1' };
}

/**
 * Where the offline copies go: `save` is false while the shopper has not consented, so that
 * "nothing is stored" holds for the store's public assets too (the copies already there are read).
 */
export interface AssetCache {
  readonly db: IDBPDatabase<HafrecDB>;
  readonly save: boolean;
}

/**
 * The catalog, network first. Its offline copy is the response's bytes, one record in the
 * `models` cache store (cachingFetch): a 36,000-item catalog stored as 36,000 records took the
 * worker ~2.6 s of structured cloning on a first visit. Copies in the `items` store (written by
 * earlier releases) are still read when there is no other.
 */
export async function loadCatalog(url: string, cache: AssetCache, fetchImpl: typeof fetch): Promise<Loaded<Catalog>> {
  const { db } = cache;
  try {
    const { json, offline } = await fetchJson('catalog', url, cachingFetch(cache, fetchImpl));
    return { value: parseCatalogJson(json, url), offline };
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

import type { AssetCache } from '../store/asset-cache.ts';
import { responseValidator } from './fetch-asset.ts';

/**
 * Where the offline copies go: `save` is false while the shopper has not consented, so that
 * "nothing is stored" holds for the store's public assets too (the copies already there are read).
 */
export interface OfflineCache {
  readonly assets: AssetCache;
  readonly save: boolean;
}

/** Set on a response served from the offline copy. */
export const OFFLINE_HEADER = 'x-hafrec-offline';

/**
 * The fetch the worker reads the catalog and model files with: network first, then the offline
 * copy. The catalog and every file a model reads (a bundle's prior, HAF weights, item vectors) is kept in the
 * `models` cache store under its URL once fetched with consent, and served from there when
 * the network fails, so that a `haf` shop recommends offline after one visit. A copy whose
 * ETag / Last-Modified matches the response is not written again.
 */
export function cachingFetch(cache: OfflineCache, fetchImpl: typeof fetch): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      const copy = await cache.assets.readFileCopy(url).catch(() => undefined);
      if (!copy) throw error;
      return new Response(copy.body, { status: 200, headers: { 'content-type': copy.type, [OFFLINE_HEADER]: '1' } });
    }
    if (!response.ok || !cache.save) return response;
    const body = await response.arrayBuffer();
    const version = responseValidator(response) ?? '';
    const type = response.headers.get('content-type') ?? 'application/octet-stream';
    void cache.assets.saveFileCopy(url, { body, type, version }).catch(() => undefined);
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

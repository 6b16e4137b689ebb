import { AssetFetchError } from './errors.ts';

/**
 * One GET of a shop's own static file (no credentials beyond same-origin): a typed
 * AssetFetchError naming the asset and URL for a network error or an HTTP error status.
 */
export async function fetchAsset(what: string, url: string, fetchImpl: typeof fetch): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new AssetFetchError(what, url, `network error (${(error as Error).message})`);
  }
  if (!response.ok) throw new AssetFetchError(what, url, `HTTP ${response.status}`);
  return response;
}

/** The response's ETag, else its Last-Modified: what HTTP says identifies these bytes. */
export function responseValidator(response: Response): string | undefined {
  return response.headers.get('etag') ?? response.headers.get('last-modified') ?? undefined;
}

/** The body of a fetched asset as JSON, or an AssetFetchError saying it is not JSON. */
export async function readAssetJson(what: string, url: string, response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new AssetFetchError(what, url, 'the response is not valid JSON');
  }
}

/** Bytes already read as JSON, or an AssetFetchError saying they are not JSON. */
export function parseAssetJson(what: string, url: string, bytes: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new AssetFetchError(what, url, 'the response is not valid JSON');
  }
}

/** The body of a fetched asset as bytes; a body cut off mid-way is a network error. */
export async function readAssetBytes(what: string, url: string, response: Response): Promise<ArrayBuffer> {
  try {
    return await response.arrayBuffer();
  } catch (error) {
    throw new AssetFetchError(what, url, `network error (${(error as Error).message})`);
  }
}

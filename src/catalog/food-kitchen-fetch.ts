import type { Dataset } from './types.ts';
import { DATASET_FILES, parseFoodKitchen, type DatasetFile } from './food-kitchen-parse.ts';
import { parseChecksums, verifyChecksum } from './checksums.ts';
import { CatalogError } from './errors.ts';
import { decodeUtf8 } from './tsv.ts';

/** A dataset file could not be fetched; names the URL and the HTTP status. */
export class DatasetFetchError extends CatalogError {
  override readonly name = 'DatasetFetchError';
  constructor(readonly url: string, readonly status: number) {
    super(`could not fetch ${url}: HTTP ${status}`);
  }
}

/** Browser (and worker) loader: fetches `<base>/<name>.tsv.gz`, gunzips, verifies, parses. */
export async function fetchFoodKitchen(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<Dataset> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const sums = parseChecksums(await (await get(`${base}SHA256SUMS`, fetchImpl)).text());
  const texts = {} as Record<DatasetFile, string>;
  await Promise.all(
    DATASET_FILES.map(async (name) => {
      const file = `${name}.tsv`;
      const response = await get(`${base}${file}.gz`, fetchImpl);
      const bytes = await gunzip(response);
      verifyChecksum(sums, file, await sha256Hex(bytes));
      texts[name] = decodeUtf8(file, bytes);
    }),
  );
  return parseFoodKitchen(texts);
}

async function get(url: string, fetchImpl: typeof fetch): Promise<Response> {
  const response = await fetchImpl(url);
  if (!response.ok) throw new DatasetFetchError(url, response.status);
  return response;
}

async function gunzip(response: Response): Promise<Uint8Array> {
  const stream = response.body;
  if (!stream) throw new DatasetFetchError(response.url, response.status);
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  // Servers may already have decoded a gzip Content-Encoding; only inflate real gzip bytes.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

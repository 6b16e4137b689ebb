import type { Dataset } from './types.ts';
import { readDataset, type DatasetSource } from './dataset-read.ts';
import { DatasetFetchError } from './errors.ts';


/**
 * Browser (and worker) loader of a dataset folder served over HTTP: the same manifest,
 * checksum and parsing rules as the Node loader (`loadDataset`). A missing SHA256SUMS (404)
 * means unverified; any other missing file is a typed error.
 */
export async function fetchDataset(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<Dataset> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const source: DatasetSource = {
    location: base.slice(0, -1),
    read: async (file) => {
      const response = await fetchImpl(`${base}${file}`);
      if (response.status === 404 && file === 'SHA256SUMS') return undefined;
      if (!response.ok) throw new DatasetFetchError(`${base}${file}`, response.status);
      return file.endsWith('.gz') ? gunzip(response) : new Uint8Array(await response.arrayBuffer());
    },
    sha256Hex,
  };
  return readDataset(source);
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

import { describe, expect, it } from 'vitest';
import { assetVersion, loadModelManifest } from './asset-loader.ts';
import type { AssetCache } from '../store/asset-cache.ts';
import { AssetFetchError } from './errors.ts';

const URL_MODEL = 'https://shop.example/model.json';
const noCache = { assets: { saveModel: async () => undefined, readModel: async () => undefined } as unknown as AssetCache, save: false };

/** A response that fails the test if its body is read a second time (through clone or twice). */
function once(body: string, headers: Record<string, string> = {}): Response {
  const response = new Response(body, { headers });
  Object.defineProperty(response, 'clone', { value: () => expect.unreachable('the body was cloned to be read twice') });
  return response;
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

describe('asset loader', () => {
  it('without ETag or Last-Modified, reads the body once: the version is its SHA-256 and the JSON parses from the same bytes', async () => {
    const body = '{"format":"hafrec-model","version":1}';
    const loaded = await loadModelManifest(URL_MODEL, noCache, async () => once(body));
    expect(loaded).toEqual({ value: { format: 'hafrec-model', version: 1 }, offline: false, version: await sha256(body) });
  });

  it('with an ETag, the ETag is the version (the body is not hashed)', async () => {
    const loaded = await loadModelManifest(URL_MODEL, noCache, async () => once('{"a":1}', { etag: '"v7"' }));
    expect(loaded.version).toBe('"v7"');
    expect(await assetVersion(new Response('x', { headers: { 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' } }))).toBe('Tue, 01 Dec 2026 10:00:00 GMT');
    expect(await assetVersion(new Response('x'))).toBe(await sha256('x'));
  });

  it('a body that is not JSON is an AssetFetchError naming the asset, with or without a validator', async () => {
    const variants: Record<string, string>[] = [{}, { etag: '"v1"' }];
    for (const headers of variants) {
      const error = await loadModelManifest(URL_MODEL, noCache, async () => once('<html>', headers)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AssetFetchError);
      expect(error).toMatchObject({ what: 'model', url: URL_MODEL, detail: 'the response is not valid JSON' });
    }
  });
});

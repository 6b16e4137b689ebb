import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openHistoryStore } from '../store/history-store.ts';
import type { AssetCache } from '../store/asset-cache.ts';
import { cachingFetch } from './cached-fetch.ts';

const URL_BIN = 'https://shop.example/shop/haf/weights.bin';

function server(body: Uint8Array, etag = '"v1"'): { fetch: typeof fetch; calls: () => number; down: () => void } {
  let calls = 0;
  let up = true;
  const impl = (async () => {
    calls++;
    if (!up) throw new TypeError('Failed to fetch');
    return new Response(body.slice(), { status: 200, headers: { 'content-type': 'application/octet-stream', etag } });
  }) as unknown as typeof fetch;
  return { fetch: impl, calls: () => calls, down: () => void (up = false) };
}

const assetsOf = async (name: string): Promise<AssetCache> => (await openHistoryStore({ name, retention: {}, broadcast: false })).assets();

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('cachingFetch', () => {
  it('serves a file it fetched once from IndexedDB when the network fails', async () => {
    const assets = await assetsOf('cached-fetch-1');
    const net = server(Uint8Array.from([1, 2, 3]));
    const fetchOnline = cachingFetch({ assets, save: true }, net.fetch);
    expect(new Uint8Array(await (await fetchOnline(URL_BIN)).arrayBuffer())).toEqual(Uint8Array.from([1, 2, 3]));
    await flush();
    net.down();
    const offline = await fetchOnline(URL_BIN);
    expect(offline.headers.get('x-hafrec-offline')).toBe('1');
    expect(new Uint8Array(await offline.arrayBuffer())).toEqual(Uint8Array.from([1, 2, 3]));
  });

  it('stores nothing without consent, and rethrows the network error when there is no copy', async () => {
    const assets = await assetsOf('cached-fetch-2');
    const net = server(Uint8Array.from([9]));
    await (await cachingFetch({ assets, save: false }, net.fetch)(URL_BIN)).arrayBuffer();
    await flush();
    net.down();
    await expect(cachingFetch({ assets, save: false }, net.fetch)(URL_BIN)).rejects.toThrow(TypeError);
  });

  it('keeps the newest copy: a new ETag replaces the old one', async () => {
    const assets = await assetsOf('cached-fetch-3');
    await (await cachingFetch({ assets, save: true }, server(Uint8Array.from([1]), '"a"').fetch)(URL_BIN)).arrayBuffer();
    await flush();
    await (await cachingFetch({ assets, save: true }, server(Uint8Array.from([2]), '"b"').fetch)(URL_BIN)).arrayBuffer();
    await flush();
    const net = server(Uint8Array.from([0]));
    net.down();
    expect(new Uint8Array(await (await cachingFetch({ assets, save: true }, net.fetch)(URL_BIN)).arrayBuffer())).toEqual(Uint8Array.from([2]));
  });
});

/**
 * Node-only: a `fetch` that serves one folder's files for `file://` URLs inside it, so the
 * storefront worker's own loaders (loadModel and the `haf` kind) read a bundle from disk.
 */
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file:// URL of `file` inside `dir` (what the worker would see as the asset's URL). */
export function fileUrlIn(dir: string, file: string): string {
  return pathToFileURL(resolve(dir, file)).href;
}

export function folderFetch(dir: string): typeof fetch {
  const root = resolve(dir);
  return (async (input: Parameters<typeof fetch>[0]): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.startsWith('file:') ? fileURLToPath(url) : '';
    if (!path.startsWith(root + sep)) return new Response('outside the bundle', { status: 404 });
    try {
      const bytes = await readFile(path);
      const type = path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return new Response(new Uint8Array(bytes), { status: 200, headers: { 'content-type': type } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  }) as typeof fetch;
}

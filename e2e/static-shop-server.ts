import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
};

/**
 * The cache headers docs/storefront.md asks a shop to send: the tag's lazy chunks have hashed
 * names, so they are immutable; everything else may be kept for a few minutes. (`vite preview`
 * sends `no-cache` for everything, which a browser cannot use offline.)
 */
export function shopCacheControl(path: string): string {
  return path.startsWith('/embed-chunks/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
}

/** The file a request path names: under the first mount whose URL prefix (e.g. "/million/") it starts with, else under `root`. */
export function servedFile(root: string, mounts: Readonly<Record<string, string>>, path: string): string {
  const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
  return prefix === undefined ? join(root, path) : join(mounts[prefix]!, path.slice(prefix.length));
}

/**
 * Serves `root` (the built `dist/`) on 127.0.0.1 with shopCacheControl, and each of `mounts`'
 * folders under its URL prefix (a bench's generated shop next to the built tag); resolves with its origin.
 * `headers` go on every file (e.g. COOP/COEP, for a cross-origin-isolated page).
 */
export async function serveStatic(
  root: string,
  mounts: Readonly<Record<string, string>> = {},
  headers: Readonly<Record<string, string>> = {},
): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (path.includes('..')) return void response.writeHead(400).end();
    readFile(servedFile(root, mounts, path)).then(
      (body) => {
        response.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': shopCacheControl(path) });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/**
 * Stops a test server now. Chromium opens speculative (preconnect) sockets that never send a
 * request; Node's close() waits for those, up to its 300 s request timeout, so they are cut.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

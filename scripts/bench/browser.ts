import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunch } from '../../e2e/chromium.ts';

/** A free local port, so a preview server already running elsewhere never collides. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Serves the built app (`npm run build` first) with `vite preview` and runs `fn` on a page
 * of Debian's Chromium with WebGPU enabled; tears both down afterwards.
 */
export async function withPreviewPage<T>(path: string, fn: (page: Page) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  const browser = await chromium.launch(chromiumLaunch());
  try {
    const base = `http://127.0.0.1:${port}/`;
    await waitForServer(base, 60_000);
    const page = await browser.newPage();
    await page.goto(new URL(path, base).href, { waitUntil: 'commit' });
    return await fn(page);
  } finally {
    await browser.close();
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // the server already exited; nothing to stop
    }
  }
}

import { readFile } from 'node:fs/promises';
import type { Browser } from '@playwright/test';

/**
 * Resident memory of the browser's renderer processes (Linux /proc), a cross-check of what
 * the DevTools protocol reports for one worker: a dedicated worker lives in its page's
 * renderer, and RSS counts all it holds, the WebAssembly memories and allocator slack included.
 */

/** VmRSS of a /proc/<pid>/status text, in kB; undefined when the process has none (a zombie). */
export function vmRssKiB(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** Sum of the renderer processes' RSS, MB (processes that exit while read count 0). */
export async function renderersRssMB(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    const rss = await Promise.all(
      processInfo.filter((p) => p.type === 'renderer').map(async (p) => vmRssKiB(await readFile(`/proc/${p.id}/status`, 'utf8').catch(() => '')) ?? 0),
    );
    return rss.reduce((a, b) => a + b, 0) / 1024;
  } finally {
    await cdp.detach();
  }
}

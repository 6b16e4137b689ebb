import type { Page } from '@playwright/test';
import { addRawEvents, withTagAttributes } from '../../e2e/reliability-helpers.ts';
import { withPreviewPage } from './browser.ts';
import type { Benchmark, Measurement } from './types.ts';

/**
 * The storefront tag under volume, in Debian's Chromium on the built fixture shop
 * (`npm run build` first): a burst of synchronous track() calls and the first recommendation
 * over a large stored history. Absolute numbers depend on the box; compare within one run.
 */

export interface BurstResult {
  /** The synchronous loop of track() calls, ms. */
  readonly loopMs: number;
  /** From the end of the loop until every event is stored, ms. */
  readonly storedMs: number;
  /** Longest task after the loop (PerformanceObserver 'longtask', > 50 ms only; 0 when none), ms. */
  readonly longestTaskMs: number;
  readonly stored: number;
}

/** Tracks `count` events in one synchronous loop on a ready shop page; measures it and what follows. */
export async function measureBurst(page: Page, count: number): Promise<BurstResult> {
  return page.evaluate(async (n) => {
    const tasks: { start: number; duration: number }[] = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))));
    observer.observe({ type: 'longtask', buffered: false });
    const api = (window as unknown as { hafrec: { track(e: object): Promise<unknown>; export(o: object): Promise<{ events: unknown[] }> } }).hafrec;
    const before = (await api.export({ download: false })).events.length;
    const start = performance.now();
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) all.push(api.track({ type: 'click', itemId: `burst-${i}`, domain: 'kitchen' }));
    const loopEnd = performance.now();
    await Promise.all(all);
    const storedEnd = performance.now();
    // Long tasks are reported after they end; give the observer a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = tasks.filter((t) => t.start >= loopEnd - 1);
    const stored = (await api.export({ download: false })).events.length - before;
    return { loopMs: loopEnd - start, storedMs: storedEnd - loopEnd, longestTaskMs: Math.max(0, ...after.map((t) => t.duration)), stored };
  }, count);
}

/** Stores `count` events (plus the page's own) under a 200,000-event policy, reloads, times the first recommend(). */
export async function measureFirstRecommendation(page: Page, count: number): Promise<{ firstMs: number; secondMs: number; kept: number }> {
  await withTagAttributes(page, { 'data-max-events': '200000', 'data-max-age-days': '3650', 'data-db': 'bench-volume' });
  await page.goto(new URL('/shop-cooc/kitchen.html', page.url()).href);
  await waitReady(page);
  const now = Date.now();
  for (let start = 0; start < count; start += 25_000) {
    const size = Math.min(25_000, count - start);
    const events = Array.from({ length: size }, (_, i) => ({ type: 'view', itemId: i % 2 ? '8736' : '10214', domain: 'kitchen', ts: now - (count - start - i) * 1000 }));
    await addRawEvents(page, events, 'bench-volume');
  }
  await page.reload();
  await waitReady(page);
  return page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { recommend(d: string, k: number): Promise<unknown>; export(o: object): Promise<{ events: unknown[] }> } }).hafrec;
    const t0 = performance.now();
    await api.recommend('kitchen', 4);
    const t1 = performance.now();
    await api.recommend('kitchen', 4);
    const t2 = performance.now();
    return { firstMs: t1 - t0, secondMs: t2 - t1, kept: (await api.export({ download: false })).events.length };
  });
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as { hafrec?: { version?: string } }).hafrec?.version === 'string', null, { timeout: 30_000 });
  await page.evaluate(() => (window as unknown as { hafrec: { ready: Promise<unknown> } }).hafrec.ready);
}

export const storefrontReliabilityBench: Benchmark = {
  name: 'storefront-reliability',
  description: 'Storefront tag in Chromium: 10,000 synchronous track() calls (loop time, longest task afterwards) and the first recommendation with 100,000 stored events',
  async run(ctx): Promise<Measurement[]> {
    const runs = ctx.quick ? 1 : 3;
    const bursts: BurstResult[] = [];
    const firsts: { firstMs: number; secondMs: number; kept: number }[] = [];
    for (let i = 0; i < runs; i++) {
      bursts.push(await withPreviewPage('/shop-cooc/kitchen.html', async (page) => {
        await waitReady(page);
        return measureBurst(page, 10_000);
      }));
      ctx.log(`burst ${i + 1}: ${JSON.stringify(bursts.at(-1))}`);
      firsts.push(await withPreviewPage('/shop-cooc/index.html', (page) => measureFirstRecommendation(page, 100_000)));
      ctx.log(`first recommendation ${i + 1}: ${JSON.stringify(firsts.at(-1))}`);
    }
    const backend = 'chromium (Debian), storefront tag';
    return [
      { name: '10,000 synchronous track() calls: the loop', backend, unit: 'ms', samples: bursts.map((b) => b.loopMs), note: 'target < 1,000 ms' },
      { name: '10,000 track(): longest task after the loop', backend, unit: 'ms', samples: bursts.map((b) => b.longestTaskMs), note: 'longtask entries (> 50 ms); 0 = none; target: none' },
      { name: '10,000 track(): until all are stored', backend, unit: 'ms', samples: bursts.map((b) => b.storedMs) },
      { name: 'first recommend() with 100,000 stored events (200,000 limit)', backend, unit: 'ms', samples: firsts.map((f) => f.firstMs), note: 'after a reload: the shared engine outlives it, so the history read and scoring (with a worker per page, also its start, catalog and model)' },
      { name: 'second recommend() with 100,000 stored events', backend, unit: 'ms', samples: firsts.map((f) => f.secondMs) },
    ];
  },
};

/**
 * tfjs-wasm with threads, where the page is cross-origin isolated (issue 16): the app built
 * without minification into bench-results/tmp/wasm-threads-dist (tfjs hands its pthread
 * workers the threaded factory's source, `factory.toString()`; minified, that source names
 * `_scriptDir` by a mangled name whose `typeof` guard was dropped, and every worker dies on a
 * ReferenceError) and e2e/pages/wasm-threads.html served from it with COOP `same-origin` and
 * COEP `require-corp`, so SharedArrayBuffer exists and tfjs loads its threaded binary. One shopper (history 50, shipped Food-Kitchen weights, lexical features,
 * whole kitchen domain, top-10) through: tfjs-wasm kernels on the plain SIMD binary (the flag
 * WASM_HAS_MULTITHREAD_SUPPORT forced off: what a page without isolation runs), on the
 * threaded binary with 1, 2 and navigator.hardwareConcurrency threads, and hafrec's SIMD
 * pass. A binary and its thread count are fixed per page, so each variant has a page of its
 * own, all open in one browser; a round times each in turn (this box's speed drifts), and the
 * ratios are taken within a round. WASM_THREADS_SKIP_BUILD=1 reuses the last such build.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunch } from '../../e2e/chromium.ts';
import { serveStatic } from '../../e2e/static-shop-server.ts';
import { BenchSetupError } from './bench-errors.ts';
import { allSamples, alternateRounds, perRoundRatios, type RoundSamples, type RoundStep } from './native-rounds.ts';
import type { Benchmark, Measurement } from './types.ts';
import { benchVariants, ratioPairs, tfjsThreads, topKMismatches, type PassKind, type Variant } from './wasm-threads-variants.ts';

const PAGE = 'e2e/pages/wasm-threads.html';
const BENCH_DIST = 'bench-results/tmp/wasm-threads-dist';
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const PER_ROUND = 3;
/** Untimed calls per variant first: JIT tiers and XNNPACK operators settle over ~10 calls. */
const WARMUP_CALLS = 12;

/** What the page publishes as window.wasmThreadsBench (e2e/pages/wasm-threads.ts). */
interface PageInfo {
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  readonly threadedBinary: boolean;
  readonly threads: number;
}

function buildUnminified(): void {
  const args = ['build', '--outDir', BENCH_DIST, '--emptyOutDir', '--minify', 'false', '--logLevel', 'warn'];
  const run = spawnSync(resolve('node_modules/.bin/vite'), args, { stdio: 'inherit' });
  if (run.status !== 0) throw new BenchSetupError(`vite ${args.join(' ')} failed`);
}

async function openVariantPage(page: Page, origin: string, v: Pick<Variant, 'query' | 'threads'>): Promise<PageInfo> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/${PAGE}?${v.query}`, { waitUntil: 'commit' });
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 180_000 }).catch((error: unknown) => {
    throw new BenchSetupError(`${v.query}: the page did not get ready (${errors.slice(0, 3).join('; ') || (error as Error).message})`);
  });
  const info = await page.evaluate(() => {
    const b = (globalThis as unknown as { wasmThreadsBench: PageInfo }).wasmThreadsBench;
    return { crossOriginIsolated: b.crossOriginIsolated, hardwareConcurrency: b.hardwareConcurrency, threadedBinary: b.threadedBinary, threads: b.threads };
  });
  if (!info.crossOriginIsolated) throw new BenchSetupError(`${v.query}: the page is not cross-origin isolated: COOP/COEP not applied`);
  if (info.threadedBinary !== v.threads > 0) throw new BenchSetupError(`${v.query}: tfjs loaded the ${info.threadedBinary ? 'threaded' : 'plain'} binary`);
  if (v.threads > 0 && info.threads !== v.threads) throw new BenchSetupError(`${v.query}: tfjs runs ${info.threads} threads`);
  return info;
}

function round(page: Page, kind: PassKind, calls: number): Promise<number[]> {
  return page.evaluate(
    ([k, n]) => (globalThis as unknown as { wasmThreadsBench: { round(kind: string, calls: number): Promise<number[]> } }).wasmThreadsBench.round(k, n),
    [kind, calls] as const,
  );
}

function top10(page: Page, kind: PassKind): Promise<number[]> {
  return page.evaluate((k) => (globalThis as unknown as { wasmThreadsBench: { top10(kind: string): Promise<number[]> } }).wasmThreadsBench.top10(k), kind);
}

/** The variants' steps; each brings its page to the front first, so no timing runs in a background tab. */
function roundSteps(variants: readonly Variant[], pages: ReadonlyMap<string, Page>, calls: number): RoundStep[] {
  return variants.map((v) => ({
    name: v.name,
    run: async () => {
      const page = pages.get(v.query)!;
      await page.bringToFront();
      return round(page, v.kind, calls);
    },
  }));
}

function measurements(variants: readonly Variant[], samples: RoundSamples, info: PageInfo, agreement: string): Measurement[] {
  const backend = `chromium (Debian) wasm, crossOriginIsolated ${info.crossOriginIsolated}, hardwareConcurrency ${info.hardwareConcurrency}`;
  const cap = `tfjs 4.22 runs at most hardwareConcurrency / 2 threads: setThreadsCount(${info.hardwareConcurrency}) alone gives ${tfjsThreads(info.hardwareConcurrency, info.hardwareConcurrency)} here`;
  const note = `shipped weights, lexical features; history 50; kitchen domain = 27,637 items + top-10; ${PER_ROUND} calls a variant a round, alternated; ${agreement}; ${cap}`;
  return [
    ...variants.map((v) => ({ name: `one shopper, recommend: ${v.name}`, backend, unit: 'ms', samples: allSamples(samples, v.name), note })),
    ...ratioPairs(variants).map((p) => ({
      name: `${p.numerator} / ${p.denominator} (per round)`,
      backend,
      unit: 'x',
      samples: perRoundRatios(samples, p.numerator, p.denominator),
      note: 'median of the first / median of the second within each round; above 1: the second is faster',
    })),
  ];
}

export const wasmThreadsChromiumBench: Benchmark = {
  name: 'wasm-threads-chromium',
  description: 'One HAF shopper in a cross-origin-isolated Chromium page: tfjs-wasm single-threaded vs threaded (1, 2, hardwareConcurrency threads) vs the SIMD pass, alternated',
  async run(ctx) {
    if (!process.env.WASM_THREADS_SKIP_BUILD) buildUnminified();
    const server = await serveStatic(BENCH_DIST, {}, ISOLATION);
    const browser = await chromium.launch(chromiumLaunch());
    try {
      const pages = new Map<string, Page>([['threads=0', await browser.newPage()]]);
      const info = await openVariantPage(pages.get('threads=0')!, server.origin, { query: 'threads=0', threads: 0 });
      const variants = benchVariants(info.hardwareConcurrency);
      for (const v of variants.filter((x) => !pages.has(x.query))) {
        const page = await browser.newPage();
        pages.set(v.query, page);
        const threaded = await openVariantPage(page, server.origin, v);
        ctx.log(`page ${v.query}: crossOriginIsolated ${threaded.crossOriginIsolated}, threaded binary ${threaded.threadedBinary}, tfjs threads ${threaded.threads}`);
      }
      const lists = new Map<string, number[]>();
      for (const v of variants) lists.set(v.name, await top10(pages.get(v.query)!, v.kind));
      const mismatched = topKMismatches(lists);
      const agreement = mismatched.length === 0 ? `top-10 identical in all ${variants.length} variants` : `top-10 differs from the first in: ${mismatched.join('; ')}`;
      ctx.log(`hardwareConcurrency ${info.hardwareConcurrency}; ${agreement}`);
      await alternateRounds(roundSteps(variants, pages, WARMUP_CALLS), 1);
      const rounds = ctx.quick ? 3 : 12;
      const samples = await alternateRounds(roundSteps(variants, pages, PER_ROUND), rounds);
      return measurements(variants, samples, info, agreement);
    } finally {
      await browser.close();
      await server.close();
    }
  },
};

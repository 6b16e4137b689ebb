/**
 * What scripts/bench/wasm-threads.ts times and compares: the variants (one Chromium page per
 * tfjs wasm binary and thread count, since both are fixed when the backend starts) and the
 * per-round ratios reported between them.
 */

/** Which pass a call runs in its page: tfjs-wasm kernels, or hafrec's own SIMD pass. */
export type PassKind = 'tfjs' | 'simd-pass';

export interface Variant {
  readonly name: string;
  /** The page's query: `threads=0` is the plain SIMD binary, `threads=n` the threaded binary with n threads. */
  readonly query: string;
  /** XNNPACK threads the page must report (0: the plain binary). */
  readonly threads: number;
  readonly kind: PassKind;
}

/** The single-threaded baseline: the binary a page without cross-origin isolation gets. */
export const SINGLE = 'tfjs-wasm, SIMD binary (no threads)';
export const SIMD_PASS = "hafrec's SIMD pass (one thread)";
/** tfjs 4.22 pre-creates 8 pthread workers and never runs more XNNPACK threads. */
export const TFJS_MAX_THREADS = 8;

export function threadedName(threads: number): string {
  return `tfjs-wasm, threaded binary, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * The XNNPACK threads tfjs 4.22 runs after setThreadsCount(requested) (init_with_threads_count
 * in its backend.cc): at most 8, and at most hardwareConcurrency / 2, as it takes every
 * logical core for half a physical one; a pool of 0 falls back to one thread per core.
 */
export function tfjsThreads(requested: number, hardwareConcurrency: number): number {
  const capped = Math.min(Math.max(requested, 1), TFJS_MAX_THREADS, Math.floor(hardwareConcurrency / 2));
  return capped > 0 ? capped : Math.max(1, Math.floor(hardwareConcurrency));
}

/** Thread counts 1, 2 and the machine's, within what tfjs can run, each once, ascending. */
export function threadCounts(hardwareConcurrency: number): number[] {
  const counts = [1, 2, Math.floor(hardwareConcurrency)].map((n) => Math.min(Math.max(n, 1), TFJS_MAX_THREADS));
  return [...new Set(counts)].sort((a, b) => a - b);
}

/**
 * The threaded page for n threads. Where tfjs's hardwareConcurrency / 2 cap would run fewer,
 * the page shows tfjs a hardwareConcurrency of 2n (`cores=`), so n threads run on n cores.
 */
export function threadedVariant(threads: number, hardwareConcurrency: number): Variant {
  const lifted = tfjsThreads(threads, hardwareConcurrency) < threads;
  return {
    name: lifted ? `${threadedName(threads)} (hardwareConcurrency shown to tfjs as ${2 * threads})` : threadedName(threads),
    query: lifted ? `threads=${threads}&cores=${2 * threads}` : `threads=${threads}`,
    threads,
    kind: 'tfjs',
  };
}

/** Every variant, in the order a round runs them. */
export function benchVariants(hardwareConcurrency: number): Variant[] {
  return [
    { name: SINGLE, query: 'threads=0', threads: 0, kind: 'tfjs' },
    ...threadCounts(hardwareConcurrency).map((n) => threadedVariant(n, hardwareConcurrency)),
    { name: SIMD_PASS, query: 'threads=0', threads: 0, kind: 'simd-pass' },
  ];
}

/** A per-round ratio to report: median(numerator) / median(denominator) within each round. */
export interface RatioPair {
  readonly numerator: string;
  readonly denominator: string;
}

/**
 * The speed-up of each threaded run over the single-threaded binary (> 1: threads faster),
 * and each threaded run against the SIMD pass (> 1: the SIMD pass faster).
 */
export function ratioPairs(variants: readonly Variant[]): RatioPair[] {
  const threaded = variants.filter((v) => v.kind === 'tfjs' && v.threads > 0).map((v) => v.name);
  return [
    ...threaded.map((name) => ({ numerator: SINGLE, denominator: name })),
    { numerator: SINGLE, denominator: SIMD_PASS },
    ...threaded.map((name) => ({ numerator: name, denominator: SIMD_PASS })),
  ];
}

/** Names of the variants whose top-10 differs from the first variant's (empty: all agree). */
export function topKMismatches(lists: ReadonlyMap<string, readonly number[]>): string[] {
  const [first, ...rest] = [...lists.entries()];
  if (!first) return [];
  const same = (a: readonly number[]): boolean => a.length === first[1].length && a.every((x, i) => x === first[1][i]);
  return rest.filter(([, list]) => !same(list)).map(([name]) => name);
}

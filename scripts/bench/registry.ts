import type { Benchmark } from './types.ts';

/** A benchmark by name; its module loads only when it runs (some need Playwright or Vite, a GPU run needs neither). */
export interface BenchmarkEntry {
  readonly name: string;
  load(): Promise<Benchmark>;
}

/** Every benchmark `npm run bench` knows, in run order. */
export const BENCHMARKS: readonly BenchmarkEntry[] = [
  { name: 'baselines', load: async () => (await import('./baselines.ts')).baselinesBench },
  { name: 'model-haf', load: async () => (await import('./model-haf.ts')).modelHafBench },
  { name: 'model-native', load: async () => (await import('./model-native.ts')).modelNativeBench },
  { name: 'model-haf-gpu', load: async () => (await import('./model-haf-gpu.ts')).modelHafGpuBench },
  { name: 'million-items', load: async () => (await import('./million-items.ts')).millionItemsBench },
  { name: 'million-items-chromium', load: async () => (await import('./million-chromium.ts')).millionChromiumBench },
  { name: 'wasm-threads-chromium', load: async () => (await import('./wasm-threads.ts')).wasmThreadsChromiumBench },
  { name: 'storefront-reliability', load: async () => (await import('./storefront-reliability.ts')).storefrontReliabilityBench },
  { name: 'storefront-cold-visit', load: async () => (await import('./storefront-cold-visit.ts')).storefrontColdVisitBench },
  { name: 'embed-size', load: async () => (await import('./embed-size.ts')).embedSizeBench },
  { name: 'embedding-storage', load: async () => (await import('./embedding.ts')).embeddingStorageBench },
  { name: 'embedding-node', load: async () => (await import('./embedding.ts')).embeddingNodeBench },
  { name: 'embedding-chromium', load: async () => (await import('./embedding.ts')).embeddingChromiumBench },
];

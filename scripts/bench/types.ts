/** One measured quantity: repeated samples (timings) or a single value (sizes, counts). */
export interface Measurement {
  /** What was measured, e.g. "score one shopper, kitchen domain". */
  readonly name: string;
  /** Where it ran, e.g. "node wasm", "chromium webgpu (swiftshader)". */
  readonly backend: string;
  readonly unit: string;
  readonly samples: readonly number[];
  /** Free-form context (batch size, model shape...). */
  readonly note?: string;
}

export interface BenchContext {
  /** Smaller workloads for a quick check (`npm run bench -- --quick`). */
  readonly quick: boolean;
  readonly log: (message: string) => void;
}

/** A named benchmark in the registry; `run` returns its measurements. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
}

/** Times `fn` `runs` times after `warmup` untimed calls; returns milliseconds per call. */
export async function timeIt(fn: () => unknown, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

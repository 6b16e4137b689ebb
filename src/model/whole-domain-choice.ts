/**
 * Which pass serves HafRecommender's whole-domain requests: the fused WebGPU pass
 * (gpu-forward/) or the recommender's own path (ShopperForward's SIMD pass on wasm or cpu,
 * tfjs on a WebGPU backend). 'auto' measures, as selectBackend('auto') does for tfjs: only on
 * a real (non-fallback) adapter, both paths warmed, then alternating timed calls of each on a
 * 50-item history over the largest domain; the fused pass stays only when its median beats
 * the other's by FUSED_MARGIN. On SwiftShader it lost ~100x (231 ms against 1.8 ms); the
 * fallback adapter is not even tried.
 */
import { FusedWholeDomain } from './gpu-forward/fused-whole-domain.ts';
import type { HafRecommender } from './recommender.ts';
import type { WholeDomainChoice, WholeDomainPath, WholeDomainReason, WholeDomainRequest } from './whole-domain-request.ts';

export { WHOLE_DOMAIN_REQUESTS, type WholeDomainChoice, type WholeDomainPath, type WholeDomainReason, type WholeDomainRequest } from './whole-domain-request.ts';

/** The fused pass must be this many times faster than the other path to be kept. */
export const FUSED_MARGIN = 1.2;
/** Timed calls per path, after WARM_CALLS untimed ones of each (a score and a top-k). */
export const TIMED_CALLS = 5;
export const WARM_CALLS = 2;

/** The WebGPU device the fused pass may run on, as the caller found it. */
export interface FusedGpu {
  readonly device?: GPUDevice;
  readonly isFallbackAdapter: boolean;
  /** Why there is no device (no WebGPU, no adapter, the device request failed). */
  readonly detail?: string;
  /** Frees the device (the caller requested it for the pass); called when the pass is not kept, dropped or disposed. */
  readonly release?: () => void;
}

export interface WholeDomainOptions {
  readonly request?: WholeDomainRequest;
  /**
   * One timed call of the serving path for `history` in `domain` (call i of the path's
   * series); default: score() on even calls, recommend(k = 10) on odd ones. The engine passes
   * the tag's own call (scores, then the explanation).
   */
  readonly work?: (history: Int32Array, domain: number, i: number) => Promise<unknown>;
  /** Told when a lost device drops a kept pass, with the choice that now holds. */
  readonly onLost?: (choice: WholeDomainChoice) => void;
}

/** Picks the path, installs the fused pass on `haf` when it is kept, and says why. */
export async function chooseWholeDomain(haf: HafRecommender, gpu: FusedGpu, options: WholeDomainOptions = {}): Promise<WholeDomainChoice> {
  const request = options.request ?? 'auto';
  const other = (reason: WholeDomainReason, detail?: string): WholeDomainChoice => {
    gpu.release?.();
    return { path: 'simd', reason, ...(detail ? { detail } : {}) };
  };
  if (request === 'simd') return other('requested');
  if (request === 'auto' && gpu.isFallbackAdapter) return other('fallback-adapter');
  if (!gpu.device) return other('no-adapter', gpu.detail);
  let fused: FusedWholeDomain | undefined;
  try {
    const pass = await haf.createFusedPass(gpu.device);
    if (!pass) return other('not-covered');
    let kept: WholeDomainChoice = { path: 'fused', reason: 'requested' };
    const onLost = (detail: string): void => options.onLost?.((kept = { ...kept, path: 'simd', reason: 'device-lost', detail }));
    fused = new FusedWholeDomain(pass, { onLost, ...(gpu.release ? { release: gpu.release } : {}) });
    haf.useFusedPass(fused);
    if (request === 'fused') return kept;
    const timings = await timePaths(haf, fused, options.work ?? defaultWork(haf));
    if (timings.fused * FUSED_MARGIN >= timings.simd) {
      haf.useFusedPass(undefined);
      return { path: 'simd', reason: 'not-faster', timings };
    }
    return (kept = { path: 'fused', reason: 'faster', timings });
  } catch (error) {
    if (fused) haf.useFusedPass(undefined);
    return other('failed', error instanceof Error ? error.message : String(error));
  }
}

/** A 50-item history spread over the catalog (every domain's view), scored in the largest domain. */
export function probeRequest(haf: HafRecommender): { history: Int32Array; domain: number } {
  const { catalog } = haf;
  const history = Int32Array.from({ length: 50 }, (_, i) => 1 + ((i * 7919) % catalog.size));
  const sizes = catalog.domainItems.map((items) => items.length);
  return { history, domain: sizes.indexOf(Math.max(...sizes)) };
}

function defaultWork(haf: HafRecommender): (history: Int32Array, domain: number, i: number) => Promise<unknown> {
  return (history, domain, i) => (i % 2 === 0 ? haf.score([{ history, domain }]) : haf.recommend(history, domain, 10, new Set(history)));
}

/** Median ms per path: WARM_CALLS of each, then TIMED_CALLS of each, the paths alternating call by call. */
async function timePaths(haf: HafRecommender, fused: FusedWholeDomain, work: (history: Int32Array, domain: number, i: number) => Promise<unknown>): Promise<{ fused: number; simd: number }> {
  const { history, domain } = probeRequest(haf);
  const times: Record<WholeDomainPath, number[]> = { fused: [], simd: [] };
  try {
    for (let i = 0; i < WARM_CALLS + TIMED_CALLS; i++) {
      for (const path of ['fused', 'simd'] as const) {
        fused.enabled = path === 'fused';
        const start = performance.now();
        await work(history, domain, i);
        if (i >= WARM_CALLS) times[path].push(performance.now() - start);
      }
    }
  } finally {
    fused.enabled = true;
  }
  return { fused: median(times.fused), simd: median(times.simd) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

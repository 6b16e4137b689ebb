/**
 * The names of the whole-domain choice (whole-domain-choice.ts), in a file that imports
 * nothing: the storefront tag checks its data-whole-domain attribute against them and the
 * engine reports the choice through its protocol, neither loading the GPU code.
 */
export const WHOLE_DOMAIN_REQUESTS = ['auto', 'fused', 'simd'] as const;
export type WholeDomainRequest = (typeof WHOLE_DOMAIN_REQUESTS)[number];
export type WholeDomainPath = 'fused' | 'simd';

/**
 * Why: 'requested'; 'faster' / 'not-faster' (measured); 'fallback-adapter' (auto never tries
 * one); 'no-adapter' (no WebGPU, or no device); 'not-covered' (int8 items, a model or table
 * the fused pass declines); 'failed' (creating or timing it threw); 'device-lost' (it served
 * until its device was lost).
 */
export type WholeDomainReason = 'requested' | 'faster' | 'not-faster' | 'fallback-adapter' | 'no-adapter' | 'not-covered' | 'failed' | 'device-lost';

export interface WholeDomainChoice {
  readonly path: WholeDomainPath;
  readonly reason: WholeDomainReason;
  /** Median ms of one timed call on each path (only when measured). */
  readonly timings?: { readonly fused: number; readonly simd: number };
  /** The error or loss behind 'failed' / 'device-lost'. */
  readonly detail?: string;
}

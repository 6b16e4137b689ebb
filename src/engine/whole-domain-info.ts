import type { Recommender } from '../eval/recommender.ts';
import type { WholeDomainChoice } from '../model/whole-domain-request.ts';

/**
 * data-whole-domain: which pass scores a whole domain. 'auto' (default) keeps the fused WebGPU
 * pass only on a real adapter where it measures faster; 'fused' uses it wherever a WebGPU
 * device starts (tests, benchmarks); 'simd' never (model/whole-domain-choice.ts).
 */
export { WHOLE_DOMAIN_REQUESTS, type WholeDomainRequest } from '../model/whole-domain-request.ts';

/** What serves a HAF bundle's whole-domain scores, and why: the model's choice as the tag's info() reports it. */
export type WholeDomainInfo = WholeDomainChoice;

/**
 * The recommender a HAF bundle serves says which pass scores its whole domains (the fused
 * WebGPU pass or the SIMD pass, and the timings behind the choice): the tag's info() reports
 * it, read at each init so that a later device loss shows.
 */
export interface ReportsWholeDomain {
  /** Undefined once HAF no longer serves (the bundle fell back to its prior). */
  wholeDomain(): WholeDomainInfo | undefined;
}

export function reportingWholeDomain<R extends Recommender>(recommender: R, current: () => WholeDomainInfo | undefined): R & ReportsWholeDomain {
  return Object.assign(recommender, { wholeDomain: current });
}

export function wholeDomainOf(recommender: Recommender): WholeDomainInfo | undefined {
  const report = (recommender as Partial<ReportsWholeDomain>).wholeDomain;
  return typeof report === 'function' ? report.call(recommender) : undefined;
}

import { InvalidRequestError } from './errors.ts';

/** The most recommendations one call returns (the widget shows at most 24). */
export const MAX_RECOMMENDATIONS = 100;

/** recommend(domain, k) arguments from a page: a typed error names the bad one and what is valid. */
export function checkRecommendRequest(domain: unknown, k: unknown): { domain: string; k: number } {
  if (typeof domain !== 'string' || domain.trim() === '') {
    throw new InvalidRequestError('domain', `must be a non-empty domain name (got ${describe(domain)})`);
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_RECOMMENDATIONS) {
    throw new InvalidRequestError('k', `must be an integer from 1 to ${MAX_RECOMMENDATIONS} (got ${describe(k)})`);
  }
  return { domain, k };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

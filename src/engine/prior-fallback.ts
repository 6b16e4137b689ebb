import type { Recommender, ScoreRequest } from '../eval/recommender.ts';
import { canExplain, explainByRemoval, type ExplainingRecommender } from './explain.ts';

/**
 * A `haf` bundle keeps serving when HAF cannot: when the lazy runtime fails to load (its chunk
 * or wasm unreachable, no backend starts) or a call fails later (a lost WebGPU device whose
 * recovery failed too), the shop gets the bundle's co-occurrence prior, never an error.
 * Errors that say the bundle does not fit the catalog (wrong domains, malformed files) are
 * configuration errors and still surface.
 */
export const CONFIGURATION_ERRORS: readonly string[] = ['CatalogMismatchError', 'ModelFormatError', 'WeightsFormatError', 'FeatureMismatchError'];

export const isConfigurationError = (error: unknown): boolean => error instanceof Error && CONFIGURATION_ERRORS.includes(error.name);

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

/** The prior alone, named after why HAF is not serving. */
export function priorInstead(prior: Recommender, error: unknown): Recommender {
  return { ...prior, name: `cooccurrence (haf bundle: HAF unavailable, ${errorName(error)})` };
}

/** A recommender that says whether its primary model still serves. */
export type FallingBack = ExplainingRecommender & { readonly servingPrimary: boolean };

/** `primary` until one of its calls fails with a runtime error, then `prior` for good. */
export function withPriorFallback(primary: ExplainingRecommender, prior: Recommender, onFallback?: (error: unknown) => void): FallingBack {
  let active: Recommender = primary;
  const run = async <T>(call: (r: Recommender) => Promise<T>): Promise<T> => {
    if (active === prior) return call(prior);
    try {
      return await call(primary);
    } catch (error) {
      if (isConfigurationError(error)) throw error;
      active = prior;
      onFallback?.(error);
      try {
        primary.dispose();
      } catch {
        // a lost device may not even dispose cleanly; the prior answers either way
      }
      return call(prior);
    }
  };
  return {
    get name() {
      return active === primary ? primary.name : `cooccurrence (haf bundle: HAF failed, serving the prior)`;
    },
    get servingPrimary() {
      return active === primary;
    },
    score: (requests: readonly ScoreRequest[]) => run((r) => r.score(requests)),
    recommend: (history, domain, k, exclude) => run((r) => r.recommend(history, domain, k, exclude)),
    explain: (history, domain, items) => run((r) => (canExplain(r) ? r.explain(history, domain, items) : explainByRemoval(r, history, domain, items))),
    dispose: () => {
      if (active === primary) primary.dispose();
      prior.dispose();
    },
  };
}

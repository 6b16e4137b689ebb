import type { Dataset } from '../../src/catalog/types.ts';
import { evaluate, ranksFromDomainScores, type EvalReport } from '../../src/eval/evaluate.ts';
import type { ShippedReference } from './demo-reference-haf.ts';
import { buildModel } from '../../src/engine/model-registry.ts';

/**
 * Numbers the browser demo must reproduce bit for bit: the eval protocol on the first
 * `users` shoppers of the test split with the co-occurrence recommender (what the eval CLI
 * runs for `--model cooccurrence`), plus the per-shopper ranks of a few of them.
 */
export interface DemoReference {
  readonly split: 'test';
  readonly users: number;
  readonly report: EvalReport;
  readonly shoppers: readonly { readonly user: string; readonly sampled: number; readonly full: number }[];
  /** The shipped HAF weights, alone and blended (scripts/demo-reference/demo-reference-haf.ts). */
  readonly shipped?: ShippedReference;
}

export const REFERENCE_USERS = 60;
export const REFERENCE_SHOPPERS = ['1', '2', '5'] as const;

export async function computeDemoReference(dataset: Dataset, users = REFERENCE_USERS): Promise<DemoReference> {
  const { catalog } = dataset;
  const recommender = await buildModel('cooccurrence', { dataset });
  const report = await evaluate(recommender, catalog, dataset.test.slice(0, users), { split: 'test', full: true });
  const shoppers = [];
  for (const user of REFERENCE_SHOPPERS) {
    const c = dataset.test.find((t) => t.user === user);
    if (!c) throw new RangeError(`reference shopper ${user} is not in the test split`);
    const [scores] = await recommender.score([{ history: c.history, domain: c.domain }]);
    shoppers.push({ user, ...ranksFromDomainScores(catalog, c, scores!) });
  }
  return { split: 'test', users, report, shoppers };
}

import type { EvalCase } from '../catalog/types.ts';
import { createRng } from '../model/rng.ts';

/**
 * At most `max` valid cases, a fixed seeded sample in their original order: a store with tens
 * of thousands of shoppers chooses its blend weight on a few thousand of them in minutes.
 */
export function sampleCases(cases: readonly EvalCase[], max: number | undefined, seed = 1): readonly EvalCase[] {
  if (max === undefined || max <= 0 || cases.length <= max) return cases;
  const rng = createRng(seed);
  const order = Array.from(cases, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, max).sort((a, b) => a - b).map((i) => cases[i]!);
}

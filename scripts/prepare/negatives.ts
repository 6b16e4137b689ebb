import type { Catalog } from '../../src/catalog/types.ts';
import type { Rng } from '../../src/model/rng.ts';

/**
 * Materialized evaluation negatives: `count` distinct items drawn uniformly from the
 * target's domain, never the target (history items may be drawn, as in Food-Kitchen).
 * A partial Fisher-Yates over a per-domain pool: O(count) a case, any domain size.
 */
export function createNegativeSampler(catalog: Catalog, rng: Rng): (target: number, count: number) => Int32Array {
  const pools = catalog.domainItems.map((items) => Int32Array.from(items));
  return (target, count) => {
    const pool = pools[catalog.domainOf[target]!]!;
    if (count > pool.length - 1) throw new RangeError(`${count} negatives asked from a domain of ${pool.length} items`);
    const out = new Int32Array(count);
    let taken = 0;
    for (let i = 0; taken < count; i++) {
      const j = i + rng.int(pool.length - i);
      const pick = pool[j]!;
      pool[j] = pool[i]!;
      pool[i] = pick;
      if (pick !== target) out[taken++] = pick;
    }
    return out;
  };
}

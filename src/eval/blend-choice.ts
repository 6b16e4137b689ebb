import type { GridScore } from './blend-grid.ts';

export const BLEND_RULE =
  'among blends that score at least the prior alone on valid sampled AND full NDCG@10, the one whose smaller relative gain over the prior (sampled, full) is largest, ties to the higher sampled; the prior alone when none qualifies';

export interface ServedChoice {
  /** null: serve the co-occurrence prior alone. */
  readonly weight: number | null;
  readonly score: GridScore;
}

const sampledOf = (g: GridScore): number => g.sampled.overall!['NDCG@10'];
const fullOf = (g: GridScore): number => g.full.overall!['NDCG@10'];

/** (x - base) / base; a gain over a zero base is unbounded. */
function relativeGain(x: number, base: number): number {
  if (base > 0) return (x - base) / base;
  return x > base ? Number.POSITIVE_INFINITY : 0;
}

/**
 * The grid point a bundle serves (BLEND_RULE): never below the prior alone on valid. A shop
 * is judged on both protocols, so the choice balances them: the blend with the best sampled
 * score alone can sit a hair above the prior in full ranking, a margin that a new sample of
 * shoppers erases (docs/experiments.md, 2026-12-04).
 */
export function chooseServed(grid: readonly GridScore[]): ServedChoice {
  const prior = grid.find((g) => g.weight === null);
  if (!prior) throw new RangeError('the grid has no prior-alone point (weight null)');
  let best: GridScore | undefined;
  let bestGain = 0;
  for (const g of grid) {
    if (g.weight === null) continue;
    const gain = Math.min(relativeGain(sampledOf(g), sampledOf(prior)), relativeGain(fullOf(g), fullOf(prior)));
    // A negative gain is a blend below the prior alone in one protocol: never served.
    if (gain < 0) continue;
    if (!best || gain > bestGain || (gain === bestGain && sampledOf(g) > sampledOf(best))) [best, bestGain] = [g, gain];
  }
  return best ? { weight: best.weight, score: best } : { weight: null, score: prior };
}

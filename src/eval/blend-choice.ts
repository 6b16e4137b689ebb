import type { GridScore } from './blend-grid.ts';

export const BLEND_RULE =
  'highest valid sampled NDCG@10 among blends that score at least the prior alone on valid sampled AND full NDCG@10; the prior alone when none does';

export interface ServedChoice {
  /** null: serve the co-occurrence prior alone. */
  readonly weight: number | null;
  readonly score: GridScore;
}

const sampledOf = (g: GridScore): number => g.sampled.overall!['NDCG@10'];
const fullOf = (g: GridScore): number => g.full.overall!['NDCG@10'];

/** The grid point a bundle serves (BLEND_RULE): never below the prior alone on valid. */
export function chooseServed(grid: readonly GridScore[]): ServedChoice {
  const prior = grid.find((g) => g.weight === null);
  if (!prior) throw new RangeError('the grid has no prior-alone point (weight null)');
  let best: GridScore | undefined;
  for (const g of grid) {
    if (g.weight === null || sampledOf(g) < sampledOf(prior) || fullOf(g) < fullOf(prior)) continue;
    if (!best || sampledOf(g) > sampledOf(best)) best = g;
  }
  return best ? { weight: best.weight, score: best } : { weight: null, score: prior };
}

import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { EvalCase } from '../catalog/types.ts';
import { createRng } from '../model/rng.ts';
import { chooseServed } from './blend-choice.ts';
import { createBlend } from './blend.ts';
import { evaluateBlendGrid, type GridScore } from './blend-grid.ts';
import { evaluate } from './evaluate.ts';
import type { Recommender, ScoreRequest } from './recommender.ts';

const catalog = createCatalog('grid', Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, domain: i < 20 ? 'a' : 'b' })));

/** Deterministic scores from the history's last item (prior: non-negative counts). */
function stub(name: string, seed: number, counts: boolean): Recommender {
  const one = (r: ScoreRequest): Float32Array => {
    const rng = createRng(seed * 1000 + (r.history[r.history.length - 1] ?? 0));
    const items = r.candidates ?? catalog.domainItems[r.domain]!;
    const all = Float32Array.from(catalog.domainItems[r.domain]!, () => (counts ? Math.floor(rng.next() * 4) ** 2 : rng.normal()));
    return Float32Array.from(items, (item) => all[catalog.domainItems[r.domain]!.indexOf(item)]!);
  };
  return { name, score: async (rs) => rs.map(one), recommend: async () => [], dispose: () => undefined };
}

const cases: EvalCase[] = Array.from({ length: 30 }, (_, u) => {
  const domain = u % 2;
  const items = catalog.domainItems[domain]!;
  const target = items[u % items.length]!;
  return { user: `u${u}`, history: Int32Array.from([1 + (u % 40)]), target, domain, negatives: items.filter((i) => i !== target).slice(0, 10) };
});

describe('evaluateBlendGrid', () => {
  it('ranks every weight exactly as createBlend does, and the prior alone as the prior does', async () => {
    const haf = stub('haf', 1, false);
    const prior = stub('prior', 2, true);
    const grid = await evaluateBlendGrid(haf, prior, catalog, cases, [0, 0.1, 1]);
    for (const point of grid) {
      const model = point.weight === null ? prior : createBlend('b', catalog, [{ recommender: haf, weight: 1, transform: 'z' }, { recommender: prior, weight: point.weight, transform: 'log-z' }]);
      const report = await evaluate(model, catalog, cases);
      expect(point.sampled).toEqual(report.sampled);
      expect(point.full).toEqual(report.full);
    }
  });
});

const point = (weight: number | null, sampled: number, full: number): GridScore => ({
  weight,
  sampled: { overall: { 'NDCG@10': sampled } as never },
  full: { overall: { 'NDCG@10': full } as never },
});

describe('chooseServed (valid scores only)', () => {
  it('takes the blend whose smaller relative gain over the prior is largest, among those at least as good on sampled and full', () => {
    // Gains over the prior (0.3, 0.15): 0.1 -> (+33%, +33%), 0.3 -> (+17%, +100%); 0 loses on full.
    const choice = chooseServed([point(0, 0.5, 0.05), point(0.1, 0.4, 0.2), point(0.3, 0.35, 0.3), point(null, 0.3, 0.15)]);
    expect(choice.weight).toBe(0.1);
  });

  it('gives up a little sampled score for a full-ranking margin (the three-domain variant\'s valid grid)', () => {
    // 0.2 -> (+9.9%, +1.8%), 0.5 -> (+9.4%, +3.5%), 1 -> (+9.1%, +3.8%): the best sampled point is the thinnest in full.
    const grid = [point(0.2, 0.091006, 0.027551), point(0.5, 0.090621, 0.027993), point(1, 0.090369, 0.028071), point(null, 0.082798, 0.027052)];
    expect(chooseServed(grid).weight).toBe(1);
  });

  it('breaks a tie in the smaller gain by the sampled score, and counts any gain over a zero prior as unbounded', () => {
    expect(chooseServed([point(0.1, 0.4, 0.2), point(0.2, 0.45, 0.2), point(null, 0.3, 0.2)]).weight).toBe(0.2);
    expect(chooseServed([point(0.1, 0.4, 0), point(0.2, 0.35, 0.01), point(null, 0.3, 0)]).weight).toBe(0.2);
  });

  it('falls back to the prior alone when every blend loses to it', () => {
    expect(chooseServed([point(0, 0.5, 0.05), point(0.5, 0.2, 0.3), point(null, 0.3, 0.15)]).weight).toBeNull();
  });
});

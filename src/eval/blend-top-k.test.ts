import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { BaseScorer } from './base-scores.ts';
import { blendTopK, denseTerm } from './blend-top-k.ts';
import { createBlend } from './blend.ts';
import type { Recommendation, Recommender } from './recommender.ts';
import type { BlendTransform } from './standardize.ts';
import { topK } from './top-k.ts';

let seed = 7;
const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;

/** Scores on a coarse grid (many ties), some zero runs, a few negatives. */
function scores(n: number, zeros: number): Float32Array {
  return Float32Array.from({ length: n }, () => (random() < zeros ? 0 : Math.round((random() * 2 - 0.3) * 40) / 8));
}

const N = 3000;
const catalog = createCatalog('random', [
  ...Array.from({ length: N }, (_, i) => ({ id: `a${i}`, domain: 'a' })),
  ...Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, domain: 'b' })),
]);
const items = catalog.domainItems[0]!;

interface Part {
  readonly scores: Float32Array;
  readonly weight: number;
  readonly transform: BlendTransform;
}

const fixed = (values: Float32Array): Recommender => ({
  name: 'fixed',
  score: async (requests) => requests.map(() => values),
  recommend: async () => [],
  dispose: () => undefined,
});

/** The standardization as first written (two passes, one plain loop per step), independent of standardize.ts. */
function plainZ(values: Float32Array, transform: BlendTransform): Float32Array {
  const x = Float32Array.from(values, (s) => (transform === 'log-z' ? Math.sign(s) * Math.log1p(Math.abs(s)) : s));
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let squares = 0;
  for (const v of x) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / x.length) || 1;
  return x.map((v) => (v - mean) / std);
}

/** topK over the combined scores computed the straightforward way. */
function reference(parts: readonly Part[], k: number, exclude?: ReadonlySet<number>): Recommendation[] {
  const combined = new Float32Array(N);
  for (const p of parts) {
    const z = plainZ(p.scores, p.transform);
    for (let j = 0; j < N; j++) combined[j]! += p.weight * z[j]!;
  }
  return topK(combined, items, k, exclude);
}

/** The same items in the same order, scores equal to float32 rounding (the moments' sums run in another order). */
function expectSameRanking(got: readonly Recommendation[], want: readonly Recommendation[]): void {
  expect(got.map((r) => r.item)).toEqual(want.map((r) => r.item));
  got.forEach((r, i) => expect(Math.abs(r.score - want[i]!.score)).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(r.score))));
}

const terms = (parts: readonly Part[]) => parts.map((p) => denseTerm(p.scores, p.transform, p.weight));

describe('blendTopK', () => {
  it('ranks as topK of the combined scores, ties in catalog order, excluded items skipped', async () => {
    for (const [k, zeros] of [[10, 0.9], [25, 0.2], [1, 0.5], [N + 5, 0.5]] as const) {
      const parts: Part[] = [
        { scores: scores(N, 0.1), weight: 1, transform: 'z' },
        { scores: scores(N, zeros), weight: 0.2, transform: 'log-z' },
      ];
      const exclude = new Set(Array.from({ length: 200 }, () => items[Math.floor(random() * N)]!));
      expectSameRanking(blendTopK(terms(parts), items, k, exclude), reference(parts, k, exclude));
      expectSameRanking(blendTopK(terms(parts), items, k), reference(parts, k));
      const blend = createBlend('b', catalog, parts.map((p) => ({ recommender: fixed(p.scores), weight: p.weight, transform: p.transform })));
      const [combined] = await blend.score([{ history: new Int32Array(0), domain: 0 }]);
      expect(blendTopK(terms(parts), items, k, exclude)).toEqual(topK(combined!, items, k, exclude));
      expect(await blend.recommend(new Int32Array(0), 0, k, exclude)).toEqual(topK(combined!, items, k, exclude));
    }
  });

  it('blends any number of terms, with NaN scores never winning', () => {
    const parts: Part[] = [
      { scores: scores(N, 0), weight: 1, transform: 'z' },
      { scores: scores(N, 0.5), weight: 0.5, transform: 'log-z' },
      { scores: scores(N, 0.5), weight: -0.3, transform: 'z' },
    ];
    expectSameRanking(blendTopK(terms(parts), items, 15), reference(parts, 15));
    expectSameRanking(blendTopK(terms(parts.slice(0, 1)), items, 15), reference(parts.slice(0, 1), 15));
    const withNaN = [{ ...parts[0]!, scores: Float32Array.from(parts[0]!.scores, (v, i) => (i % 7 === 0 ? NaN : v)) }];
    expect(blendTopK(terms(withNaN), items, 15).every((r) => !Number.isNaN(r.score))).toBe(true);
    expect(blendTopK(terms(parts), items, 0)).toEqual([]);
  });
});

describe('createBlend recommend() over a base scorer', () => {
  /** Base scores plus a few changed items per call, and the same scores as a plain recommender. */
  function baseScorer(base: Float32Array): BaseScorer & { last?: Float32Array } {
    const scorer: BaseScorer & { last?: Float32Array } = {
      ...fixed(base),
      domainScores: () => {
        const changed = Int32Array.from(new Set(Array.from({ length: 40 }, () => Math.floor(random() * N))));
        const values = Float32Array.from(changed, () => Math.round(random() * 80) / 8);
        scorer.last = base.slice();
        changed.forEach((j, k) => (scorer.last![j] = values[k]!));
        return { base, changed, values };
      },
    };
    return scorer;
  }

  it('ranks as the dense scores would, and leaves the base as it was', async () => {
    const model = scores(N, 0);
    const base = scores(N, 0.8).map(Math.abs);
    const kept = base.slice();
    const prior = baseScorer(base);
    const blend = createBlend('m+p', catalog, [
      { recommender: fixed(model), weight: 1, transform: 'z' },
      { recommender: prior, weight: 0.3, transform: 'log-z' },
    ]);
    for (let call = 0; call < 3; call++) {
      const got = await blend.recommend(new Int32Array(0), 0, 20, new Set([items[5]!]));
      const want = reference([{ scores: model, weight: 1, transform: 'z' }, { scores: prior.last!, weight: 0.3, transform: 'log-z' }], 20, new Set([items[5]!]));
      expectSameRanking(got, want);
    }
    expect(base).toEqual(kept);
  });

  it('overlapping calls each rank their own changes (the shared buffers are written only between awaits)', async () => {
    const base = scores(N, 0.8).map(Math.abs);
    const histories = [Int32Array.from([1]), Int32Array.from([2])];
    const changesOf = (h: Int32Array) => ({ changed: Int32Array.from([h[0]! * 10, h[0]! * 10 + 1]), values: Float32Array.from([50, 40]) });
    const prior: BaseScorer = { ...fixed(base), domainScores: (h) => ({ base, ...changesOf(h) }) };
    const slow: Recommender = { ...fixed(scores(N, 0)), score: async (rs) => (await new Promise((r) => setTimeout(r, 5)), rs.map(() => slowScores)) };
    const slowScores = scores(N, 0);
    const blend = createBlend('m+p', catalog, [
      { recommender: slow, weight: 1, transform: 'log-z' },
      { recommender: prior, weight: 2, transform: 'log-z' },
    ]);
    const together = await Promise.all(histories.map((h) => blend.recommend(h, 0, 5)));
    const alone = [await blend.recommend(histories[0]!, 0, 5), await blend.recommend(histories[1]!, 0, 5)];
    expect(together).toEqual(alone);
    expect(together[0]!.map((r) => r.item).slice(0, 2)).toEqual([items[10]!, items[11]!]);
    expect(together[1]!.map((r) => r.item).slice(0, 2)).toEqual([items[20]!, items[21]!]);
  });
});

import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { Recommender, ScoreRequest } from './recommender.ts';
import { createBlend, createPriorBlend, standardize } from './blend.ts';

const catalog = createCatalog('toy', [
  { id: 'a1', domain: 'a' },
  { id: 'a2', domain: 'a' },
  { id: 'a3', domain: 'a' },
  { id: 'b1', domain: 'b' },
]);

/** A recommender with fixed scores per item (by internal index). */
function fixed(name: string, byItem: number[]): Recommender {
  return {
    name,
    score: async (rs: readonly ScoreRequest[]) =>
      rs.map((r) => Float32Array.from(r.candidates ?? catalog.domainItems[r.domain]!, (i) => byItem[i]!)),
    recommend: async () => [],
    dispose: () => undefined,
  };
}

describe('standardize', () => {
  it('gives zero mean and unit variance', () => {
    const z = standardize(Float32Array.from([1, 2, 3]), 'z');
    expect(z[0]).toBeCloseTo(-Math.sqrt(1.5), 5);
    expect(z[1]).toBeCloseTo(0, 6);
  });
  it('maps a constant vector to zeros', () => {
    expect([...standardize(Float32Array.from([4, 4]), 'z')]).toEqual([0, 0]);
  });
});

describe('createBlend', () => {
  const a = fixed('a', [0, 1, 2, 3, 9]);
  const b = fixed('b', [0, 3, 2, 1, 9]);
  it('adds weighted standardized scores', async () => {
    const blend = createBlend('a+b', catalog, [
      { recommender: a, weight: 1, transform: 'z' },
      { recommender: b, weight: 0.5, transform: 'z' },
    ]);
    const [s] = await blend.score([{ history: new Int32Array(), domain: 0 }]);
    const k = Math.sqrt(1.5);
    expect(s![0]).toBeCloseTo(-k + 0.5 * k, 5);
    expect(s![2]).toBeCloseTo(k - 0.5 * k, 5);
  });
  it('scores candidates exactly as the whole domain, and out-of-domain candidates last', async () => {
    const blend = createBlend('a+b', catalog, [
      { recommender: a, weight: 1, transform: 'z' },
      { recommender: b, weight: 2, transform: 'log-z' },
    ]);
    const [all, some] = await blend.score([
      { history: new Int32Array(), domain: 0 },
      { history: new Int32Array(), domain: 0, candidates: Int32Array.from([3, 1, 4]) },
    ]);
    expect([...some!]).toEqual([all![2], all![0], Number.NEGATIVE_INFINITY]);
  });
});

describe('createPriorBlend', () => {
  it('is the model standardized plus weight x the standardized log prior', async () => {
    const fixed = (name: string, values: number[]): Recommender => ({
      name,
      score: async (requests) => requests.map(() => Float32Array.from(values)),
      recommend: async () => [],
      dispose: () => undefined,
    });
    const model = fixed('m', [1, 2, 3]);
    const prior = fixed('p', [0, 3, 8]);
    const [got] = await createPriorBlend(model, prior, catalog, 0.5).score([{ history: new Int32Array(0), domain: 0 }]); // domain a: 3 items
    const zm = standardize(Float32Array.from([1, 2, 3]), 'z');
    const zp = standardize(Float32Array.from([0, 3, 8]), 'log-z');
    expect(Array.from(got!)).toEqual(Array.from(zm, (v, i) => Math.fround(v + 0.5 * zp[i]!)));
  });
});

import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../catalog/catalog.ts';
import type { EvalCase, Sequence } from '../../catalog/types.ts';
import { evaluate } from '../evaluate.ts';
import { countOccurrences, createPopularity } from './popularity.ts';
import { cooccurrenceVotes, countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE, strongestVoter } from './cooccurrence.ts';

// Items 1..4 domain "a", 5..6 domain "b".
const catalog = createCatalog('toy', [
  { id: 'a1', domain: 'a' },
  { id: 'a2', domain: 'a' },
  { id: 'a3', domain: 'a' },
  { id: 'a4', domain: 'a' },
  { id: 'b1', domain: 'b' },
  { id: 'b2', domain: 'b' },
]);
const seq = (...items: number[]): Sequence => ({ user: 'u', items: Int32Array.from(items) });
const train = [seq(1, 5, 2), seq(1, 2), seq(3, 2, 6)];

describe('popularity', () => {
  it('scores training occurrences within the target domain', async () => {
    const pop = createPopularity(catalog, countOccurrences(catalog, train));
    const [domainScores, candidateScores] = await pop.score([
      { history: new Int32Array(), domain: 0 },
      { history: new Int32Array(), domain: 1, candidates: Int32Array.from([6, 5]) },
    ]);
    expect([...domainScores!]).toEqual([2, 3, 1, 0]);
    expect([...candidateScores!]).toEqual([1, 1]);
    const top = await pop.recommend(new Int32Array(), 0, 2, new Set([2]));
    expect(top.map((r) => r.item)).toEqual([1, 3]);
  });
});

describe('cooccurrence', () => {
  it('sums recency- and gap-decayed transitions plus a popularity tie-break', async () => {
    const params = { ...DEFAULT_COOCCURRENCE, lastN: 2, window: 2, recencyDecay: 0.5, gapDecay: 0.5, popularityWeight: 0.01 };
    const rec = createCooccurrence(catalog, countTransitions(catalog.size, train, params), countOccurrences(catalog, train), params);
    // History [1, 5]: newest 5 votes 1x for its followers, 1 votes 0.5x.
    // Transitions: 1->5 (1), 1->2 (0.5 + 1), 5->2 (1), 3->2 (1), 3->6 (0.5), 2->6 (1).
    // Domain a: item 2 = 1*1 (from 5) + 0.5*1.5 (from 1) + 0.01*3 = 1.78.
    const [scores] = await rec.score([{ history: Int32Array.from([1, 5]), domain: 0 }]);
    expect(scores![0]).toBeCloseTo(0.02, 6);
    expect(scores![1]).toBeCloseTo(1.78, 6);
    expect(scores![2]).toBeCloseTo(0.01, 6);
    expect(scores![3]).toBeCloseTo(0, 6);
  });

  it('scores candidates exactly as it scores the whole domain', async () => {
    const rec = createCooccurrence(catalog, countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE), countOccurrences(catalog, train));
    const history = Int32Array.from([3, 1]);
    const [all, some] = await rec.score([
      { history, domain: 0 },
      { history, domain: 0, candidates: Int32Array.from([4, 2]) },
    ]);
    expect([...some!]).toEqual([all![3], all![1]]);
    // Whole-domain scores start from a copy of the domain's popularity: a request never changes the next one's.
    const [again] = await rec.score([{ history: new Int32Array(), domain: 0 }]);
    const [plain] = await createCooccurrence(catalog, countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE), countOccurrences(catalog, train)).score([{ history: new Int32Array(), domain: 0 }]);
    expect([...again!]).toEqual([...plain!]);
  });

  it('gives a whole domain as its popularity base plus the changed items, the same float32 scores as score()', async () => {
    const train2 = [...train, seq(1, 2, 1, 3, 2), seq(5, 1, 3)];
    const rec = createCooccurrence(catalog, countTransitions(catalog.size, train2, DEFAULT_COOCCURRENCE), countOccurrences(catalog, train2));
    for (const [history, domain] of [[Int32Array.from([1, 5, 1, 3]), 0], [Int32Array.from([3, 1]), 1], [new Int32Array(0), 0]] as const) {
      const [want] = await rec.score([{ history, domain }]);
      const { base, changed, values } = rec.domainScores(history, domain);
      const got = base.slice();
      changed.forEach((j, k) => (got[j] = values[k]!));
      expect(got).toEqual(want);
      expect(new Set(changed).size).toBe(changed.length);
      expect(rec.domainScores(history, domain).base).toBe(base);
    }
  });

  it('explains each pick by the votes its score is made of: the strongest voting item, its newest position', async () => {
    const params = { ...DEFAULT_COOCCURRENCE, lastN: 3, window: 2, recencyDecay: 0.9, gapDecay: 0.5, popularityWeight: 0.01 };
    const table = countTransitions(catalog.size, train, params);
    const rec = createCooccurrence(catalog, table, countOccurrences(catalog, train), params);
    // History [1, 3]: item 2 gets 1 x 1 from 3 (newest) and 0.9 x 1.5 = 1.35 from 1, so 1 (position 0) explains it.
    const votes = cooccurrenceVotes(table, params, Int32Array.from([1, 3]), 2);
    expect(votes.map((v) => v.position)).toEqual([1, 0]);
    expect(votes.map((v) => v.weight)).toEqual([1, expect.closeTo(1.35, 6)]);
    expect(await rec.explain(Int32Array.from([1, 3]), 0, Int32Array.from([2, 4]))).toEqual([0, undefined]);
    // History [1, 5, 1]: item 1's two votes add up (1.5 + 0.81 x 1.5) above 5's 0.9: its newest position, 2.
    const repeated = Int32Array.from([1, 5, 1]);
    expect(strongestVoter(repeated, cooccurrenceVotes(table, params, repeated, 2))).toBe(2);
    expect(strongestVoter(repeated, [])).toBeUndefined();
  });
});

describe('evaluate', () => {
  const cases: EvalCase[] = [
    { user: '1', history: Int32Array.from([1]), target: 2, domain: 0, negatives: Int32Array.from([3, 4]) },
    { user: '2', history: Int32Array.from([3]), target: 6, domain: 1, negatives: Int32Array.from([5]) },
  ];
  it('gives a constant scorer the worst rank (ties against the model)', async () => {
    const constant = {
      name: 'constant',
      score: async (rs: readonly { candidates?: Int32Array; domain: number }[]) =>
        rs.map((r) => new Float32Array((r.candidates ?? catalog.domainItems[r.domain]!).length)),
      recommend: async () => [],
      dispose: () => undefined,
    };
    for (const full of [true, false]) {
      const report = await evaluate(constant, catalog, cases, { full });
      expect(report.sampled.a!.MRR).toBeCloseTo(1 / 3, 12);
      expect(report.sampled.b!.MRR).toBeCloseTo(1 / 2, 12);
      expect(report.sampled.overall!['HR@1']).toBe(0);
    }
  });
  it('agrees between candidate scoring and whole-domain scoring', async () => {
    const pop = createPopularity(catalog, countOccurrences(catalog, train));
    const a = await evaluate(pop, catalog, cases, { full: true });
    const b = await evaluate(pop, catalog, cases, { full: false });
    expect(a.sampled).toEqual(b.sampled);
    // Case 1: item 2 (count 3) is best in domain a -> rank 1; case 2: 6 (1) ties 5 (1) -> rank 2.
    expect(a.full!.overall!.MRR).toBeCloseTo((1 + 0.5) / 2, 12);
  });
});

describe('bad input', () => {
  it('names the valid domains when a request asks for an unknown one', async () => {
    const pop = createPopularity(catalog, countOccurrences(catalog, train));
    await expect(pop.score([{ history: new Int32Array(), domain: 7 }])).rejects.toThrow(/unknown domain "7".*"0 \(a\)", "1 \(b\)"/);
    const cooc = createCooccurrence(catalog, countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE), countOccurrences(catalog, train));
    await expect(cooc.score([{ history: Int32Array.from([1]), domain: 7 }])).rejects.toThrow(/unknown domain "7"/);
  });
});

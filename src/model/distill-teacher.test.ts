/** The co-occurrence teacher's soft targets (hand-computed) and the distillation term. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBatch } from './batch.ts';
import { createHafModel } from './create.ts';
import { DistillTeacher, localTargets, ownTransitions, withTeacherItems } from './distill-teacher.ts';
import { distillSum } from './loss.ts';
import { createRng } from './rng.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';
import { trainStep } from './train-step.ts';
import { countTransitions, DEFAULT_COOCCURRENCE } from '../eval/baselines/cooccurrence.ts';

// Items 1..6 are domain 0, 7..12 domain 1 (tinyCatalog).
const catalog = tinyCatalog();
const seq = (...items: number[]): { user: string; items: Int32Array } => ({ user: items.join('-'), items: Int32Array.from(items) });
// Transitions within 3 steps: 1->7: 2, 1->2: 1, 1->8: 2, 7->2: 1, 7->8: 1.
const train = [seq(1, 7, 2), seq(1, 7, 8), seq(1, 8)];
const shape = { domainOf: catalog.domainOf, domains: 2, maxLength: 50 };

describe('DistillTeacher', () => {
  it('scores what followed the recent items in other sequences, in the target domain, normalized', () => {
    const teacher = new DistillTeacher(train, catalog.size);
    // [1, 7, 2]: query 0 (after 1, target 7): own 1->7 left out, so 7: 2 - 1 = 1, 8: 2 -> 8 2/3, 7 1/3.
    // Query 1 (after 1, 7; target 2 in domain 0): 7->2 and 1->2 are its own only -> no target.
    // [1, 8] is query 2 (after 1, target 8): 7: 2, 8: 2 - 1 = 1 -> 7 2/3, 8 1/3.
    const t = teacher.targets([train[0]!.items, train[2]!.items], shape);
    expect(t.queries).toBe(3);
    expect([...t.query]).toEqual([0, 0, 2, 2]);
    expect([...t.item]).toEqual([8, 7, 7, 8]);
    expect([...t.weight].map((w) => +w.toFixed(6))).toEqual([0.666667, 0.333333, 0.666667, 0.333333]);
  });

  it('weighs older items by the recency decay and keeps the top items only', () => {
    // [2, 1, 9]: after 2, 1 (target 9): 1 votes 1 (7: 2, 8: 2), 2 votes 0.7 (nothing in domain 1).
    const extra = [...train, seq(2, 12), seq(2, 12)];
    const full = new DistillTeacher(extra, catalog.size).targets([Int32Array.from([2, 1, 9])], shape);
    // Query 0 (after 2, target 1: domain 0): nothing of domain 0 follows 2. Query 1 (after 2, 1): 12 gets 0.7 * 2.
    expect([...full.query]).toEqual([1, 1, 1]);
    expect([...full.item]).toEqual([7, 8, 12]);
    expect([...full.weight].map((w) => +w.toFixed(6))).toEqual([2 / 5.4, 2 / 5.4, 1.4 / 5.4].map((w) => +w.toFixed(6)));
    const top = new DistillTeacher(extra, catalog.size, DEFAULT_COOCCURRENCE, 1).targets([Int32Array.from([2, 1, 9])], shape);
    expect([[...top.item], [...top.weight]]).toEqual([[7], [1]]);
  });

  it('counts a sequence own transitions as countTransitions does', () => {
    const own = ownTransitions(Int32Array.from([1, 7, 1, 8]), DEFAULT_COOCCURRENCE);
    expect([...own.get(1)!]).toEqual([[7, 1], [1, 1], [8, 2]]);
    expect([...own.get(7)!]).toEqual([[1, 1], [8, 1]]);
    // The two counts are kept in step: the same rule (window, gap decay) gives the same table.
    const params = { ...DEFAULT_COOCCURRENCE, window: 3, gapDecay: 0.5 };
    const items = Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);
    const table = countTransitions(9, [{ user: 'u', items }], params);
    const rows = ownTransitions(items, params);
    for (let src = 1; src <= 9; src++) {
      const fromTable = Array.from(table.targets.subarray(table.offsets[src]!, table.offsets[src + 1]!), (dst, e) => [dst, table.weights[table.offsets[src]! + e]!]);
      expect([...(rows.get(src) ?? new Map<number, number>())].sort((a, b) => a[0]! - b[0]!), `row ${src}`).toEqual(fromTable);
    }
  });

  it('numbers queries as buildBatch does (history cut, own-view rule)', () => {
    const histories = tinyTrain().map((s) => s.items);
    const teacher = new DistillTeacher(tinyTrain(), catalog.size);
    for (const requireOwnView of [false, true]) {
      const options = { ...shape, maxLength: 3, requireOwnView };
      const batch = buildBatch(histories.map((history) => ({ history })), options);
      expect(teacher.targets(histories, options).queries).toBe(batch.queryDomain.length);
    }
  });
});

describe('distillation in a batch', () => {
  it('adds the teacher items to their domain negatives and maps targets to local numbers', () => {
    const targets = { queries: 1, query: Int32Array.from([0, 0]), item: Int32Array.from([8, 2]), weight: Float32Array.from([0.75, 0.25]) };
    const pools = withTeacherItems([Int32Array.from([3]), Int32Array.from([9])], targets, catalog.domainOf);
    expect(pools.map((p) => [...p])).toEqual([[3, 2], [9, 8]]);
    const local = localTargets(Int32Array.from([0, 7, 2, 8]), Int32Array.from([7]), targets, 0.5);
    expect([[...local.column], [...local.label], [...local.weight]]).toEqual([[3, 2], [1, 1], [0.375, 0.125]]);
  });

  it('plain cross-entropy plus distillSum is the cross-entropy toward the mixed target', () => {
    const logits = [[0.5, -1, 2], [1, 0, -0.5]];
    const u = tf.tensor2d([[1, 0], [0, 1]]);
    const v = tf.tensor2d([[0.5, 1], [-1, 0], [2, -0.5]]); // u.v = logits
    const [a, labels] = [0.4, [0, 2]];
    const teacher = [[0, 0.25, 0.75], [1, 0, 0]];
    const lse = (row: number[]): number => Math.log(row.reduce((s, x) => s + Math.exp(x), 0));
    const mixed = logits.reduce((s, row, q) => s + lse(row) - row.reduce((t, x, c) => t + ((1 - a) * Number(c === labels[q]) + a * teacher[q]![c]!) * x, 0), 0);
    const plain = logits.reduce((s, row, q) => s + lse(row) - row[labels[q]!]!, 0);
    const d = { query: Int32Array.from([0, 0, 1]), column: Int32Array.from([1, 2, 0]), label: Int32Array.from([0, 0, 2]), weight: Float32Array.from([0.25 * a, 0.75 * a, a]) };
    const extra = tf.tidy(() => distillSum(u as tf.Tensor2D, v as tf.Tensor2D, d).dataSync()[0]!);
    expect(plain + extra).toBeCloseTo(mixed, 5);
    tf.dispose([u, v]);
  });

  it('a training step with distillation leaks no tensors', async () => {
    const text = tinyText(catalog);
    const data = { train: tinyTrain(), domainItems: catalog.domainItems, domainOf: catalog.domainOf };
    const model = createHafModel(catalog, { config: TINY, features: [text], train: data.train });
    const optimizer = tf.train.adam(0.01);
    const rng = createRng(3);
    const step = (): Promise<{ loss: number }> => trainStep(model, optimizer, data.train.slice(0, 6).map((s) => ({ history: s.items })), data, { negatives: 2, weightDecay: 0, distill: 0.5 }, rng);
    await step();
    const before = tf.memory().numTensors;
    expect(Number.isFinite((await step()).loss)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });
});

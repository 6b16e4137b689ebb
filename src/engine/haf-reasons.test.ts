import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHafModel } from '../model/create.ts';
import { selectNodeBackend } from '../model/node.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../model/test-fixtures.ts';
import { HafRecommender } from '../model/recommender.ts';
import { attentionReasons } from './haf-reasons.ts';

const catalog = tinyCatalog();

beforeAll(async () => {
  await selectNodeBackend('wasm');
});

describe('attentionReasons', () => {
  it("credits each pick to the history item with the most attention x relevance, with HAF's weights", async () => {
    const model = createHafModel(catalog, { config: TINY, features: [tinyText(catalog)], seed: 4, train: tinyTrain() });
    const haf = new HafRecommender(model, catalog);
    try {
      const history = Int32Array.from([2, 8, 4, 10]);
      const picks = Int32Array.from([1, 5, 6]);
      const why = await haf.explainAttention(history, 0);
      const before = tf.memory().numTensors;
      const reasons = await attentionReasons(model, catalog, why, history, 0, picks);
      expect(tf.memory().numTensors).toBe(before);
      const v = tf.tidy(() => model.itemVectors(tf.tensor1d(Int32Array.from([...history, ...picks]), 'int32')).vectors.arraySync() as number[][]);
      const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k]!, 0);
      picks.forEach((_, i) => {
        const scores = why.positions.map((p, j) => p.weight * Math.max(0, dot(v[history.length + i]!, v[j]!)));
        const best = scores.indexOf(Math.max(...scores));
        const expected = Math.max(...scores) > 0 ? best : why.positions.map((p) => p.weight).indexOf(Math.max(...why.positions.map((p) => p.weight)));
        expect(reasons[i]!.position).toBe(expected);
        expect(reasons[i]!.attention).toBeCloseTo(why.positions[expected]!.weight, 6);
        expect(['a', 'b']).toContain(reasons[i]!.domain);
      });
      expect(await attentionReasons(model, catalog, why, new Int32Array(0), 0, picks)).toEqual([undefined, undefined, undefined]);
    } finally {
      haf.dispose();
    }
  });
});

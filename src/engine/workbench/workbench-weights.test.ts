import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createHafModel } from '../../model/create.ts';
import { WeightsFormatError } from '../../model/errors.ts';
import { HafRecommender } from '../../model/recommender.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../../model/test-fixtures.ts';
import { loadHaf, saveHaf } from '../../model/weights-io.ts';
import { storedWeightsExist, storedWeightsHandler, type LegacyWeights } from './workbench-weights.ts';

const artifacts = (): tf.io.ModelArtifacts => ({
  modelTopology: { hafrec: 'haf-v1' },
  format: 'hafrec',
  generatedBy: 'hafrec',
  convertedBy: null,
  weightSpecs: [{ name: 'w', shape: [3], dtype: 'float32' }],
  weightData: new Float32Array([1, 2, 3]).buffer,
  userDefinedMetadata: { hafrec: { kind: 'haf' } },
});

describe("the demo's saved weights: a tfjs IOHandler over src/store's weights database", () => {
  it('round-trips the artifacts (weight bytes split in parts are joined)', async () => {
    const handler = storedWeightsHandler('demo-haf', 'demo-weights-1');
    expect(await storedWeightsExist('demo-haf', 'demo-weights-1')).toBe(false);
    const parts = { ...artifacts(), weightData: [new Float32Array([1]).buffer, new Float32Array([2, 3]).buffer] };
    const result = await handler.save!(parts);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(12);
    expect(await storedWeightsExist('demo-haf', 'demo-weights-1')).toBe(true);
    const { weightData, ...rest } = await handler.load!();
    const { weightData: _, ...expected } = artifacts();
    expect(rest).toEqual(expected);
    expect(Array.from(new Float32Array(weightData as ArrayBuffer))).toEqual([1, 2, 3]);
  });

  it('loading weights never saved is a WeightsFormatError saying how to save them', async () => {
    await expect(storedWeightsHandler('none', 'demo-weights-2').load!()).rejects.toBeInstanceOf(WeightsFormatError);
  });

  it('a HAF model saved through it loads back with the same scores', async () => {
    await tf.setBackend('cpu');
    const catalog = tinyCatalog();
    const text = tinyText(catalog);
    const request = [{ history: Int32Array.from([1, 7, 2, 8]), domain: 1 }];
    const original = new HafRecommender(createHafModel(catalog, { config: TINY, features: [text], train: tinyTrain() }), catalog);
    await saveHaf(original.model, catalog, [text], storedWeightsHandler('demo-haf', 'demo-weights-3'), { training: { steps: 1 } });
    const { model } = await loadHaf(storedWeightsHandler('demo-haf', 'demo-weights-3'), catalog, [text]);
    const copy = new HafRecommender(model, catalog);
    expect(Array.from((await copy.score(request))[0]!)).toEqual(Array.from((await original.score(request))[0]!));
    original.dispose();
    copy.dispose();
  });

  it('moves weights an earlier release left in tfjs\'s IndexedDB into the store, once', async () => {
    let removed = 0;
    const legacy: LegacyWeights = { exists: async () => removed === 0, load: async () => artifacts(), remove: async () => void (removed += 1) };
    expect(await storedWeightsExist('demo-haf', 'demo-weights-4', legacy)).toBe(true);
    expect(removed).toBe(1);
    expect(await storedWeightsExist('demo-haf', 'demo-weights-4', legacy)).toBe(true);
    expect(removed).toBe(1);
    expect(Array.from(new Float32Array((await storedWeightsHandler('demo-haf', 'demo-weights-4').load!()).weightData as ArrayBuffer))).toEqual([1, 2, 3]);
    const none: LegacyWeights = { exists: async () => false, load: async () => undefined, remove: async () => undefined };
    expect(await storedWeightsExist('demo-haf', 'demo-weights-5', none)).toBe(false);
  });
});

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { createHafModel } from '../model/create.ts';
import type { HafModel } from '../model/model.ts';
import { HafRecommender } from '../model/recommender.ts';
import { saveHaf } from '../model/weights-io.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../model/test-fixtures.ts';
import { hafFrom } from './haf-runtime.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const history = Int32Array.from([1, 8, 2]);
let model: HafModel;
let artifacts: tf.io.ModelArtifacts;

/** Saved weights as a caller holds them once read (a bundle's fetch, the workbench's folder or browser store). */
async function savedArtifacts(): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveHaf(model, catalog, [text], { save: async (a) => ((saved = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) }) });
  return saved!;
}

async function scores(recommender: HafRecommender, domain: number): Promise<Float32Array> {
  return (await recommender.score([{ history, domain }]))[0]!;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createHafModel(catalog, { config: TINY, features: [text], train: tinyTrain(), seed: 5 });
  artifacts = await savedArtifacts();
});
afterAll(() => model.dispose());

describe('hafFrom: HAF from already-read inputs', () => {
  it('weights saved for this catalog score exactly as the model they were saved from', async () => {
    const original = new HafRecommender(model, catalog, { ownsModel: false });
    const loaded = await hafFrom(catalog, { artifacts, features: [text] });
    try {
      for (const domain of [0, 1]) expect(Array.from(await scores(loaded, domain))).toEqual(Array.from(await scores(original, domain)));
    } finally {
      loaded.dispose();
      original.dispose();
    }
  });

  it('with ids, maps rows to another catalog by item id (a new item from its content only)', async () => {
    const grown = createCatalog('grown', [...catalog.items, { id: 'new', domain: 'b', title: 'new item' }]);
    const original = new HafRecommender(model, catalog, { ownsModel: false });
    const loaded = await hafFrom(grown, { artifacts, ids: catalog.items.map((item) => item.id), features: [tinyText(grown)] }, { name: 'mapped' });
    try {
      expect(loaded.name).toBe('mapped');
      expect(Array.from(await scores(loaded, 0))).toEqual(Array.from(await scores(original, 0)));
      const before = await scores(original, 1);
      expect(Array.from((await scores(loaded, 1)).subarray(0, before.length))).toEqual(Array.from(before));
    } finally {
      loaded.dispose();
      original.dispose();
    }
  });

  it('without ids, refuses weights saved for another catalog', async () => {
    const other = createCatalog('other', [...catalog.items, { id: 'new', domain: 'b', title: 'new item' }]);
    await expect(hafFrom(other, { artifacts, features: [tinyText(other)] })).rejects.toMatchObject({ name: 'CatalogMismatchError' });
  });

  it('leaks no tensors once the recommender is disposed', async () => {
    await hafFrom(catalog, { artifacts, features: [text] }).then((r) => r.dispose());
    const before = tf.memory().numTensors;
    const loaded = await hafFrom(catalog, { artifacts, features: [text] });
    await scores(loaded, 0);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

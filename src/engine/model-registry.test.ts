import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { Sequence, TrainingData } from '../catalog/types.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../eval/baselines/cooccurrence.ts';
import { countOccurrences, createPopularity } from '../eval/baselines/popularity.ts';
import { createPriorBlend, DEFAULT_BLEND_WEIGHT } from '../eval/blend.ts';
import type { Recommender } from '../eval/recommender.ts';
import { ConfigError } from '../model/errors.ts';
import { ModelFormatError } from './errors.ts';
import { MODEL_KINDS } from './model-kinds.ts';
import { buildModel, loadModel, modelKinds, registerModelKind } from './model-registry.ts';

const catalog = createCatalog('shop', [
  { id: 'f1', domain: 'food' }, { id: 'f2', domain: 'food' }, { id: 'k1', domain: 'kitchen' }, { id: 'k2', domain: 'kitchen' },
]);
const seq = (...items: number[]): Sequence => ({ user: 'u', items: Int32Array.from(items) });
const dataset: TrainingData = { name: 'toy', catalog, train: [seq(1, 3), seq(1, 3), seq(2, 4), seq(3, 4)], valid: [] };
const requests = [{ history: Int32Array.from([1]), domain: 1 }, { history: Int32Array.from([2, 3]), domain: 0 }];
const scores = async (r: Recommender): Promise<number[][]> => (await r.score(requests)).map((s) => [...s]);
const popularity = createPopularity(catalog, countOccurrences(catalog, dataset.train));
const cooccurrence = (): Recommender =>
  createCooccurrence(catalog, countTransitions(catalog.size, dataset.train, DEFAULT_COOCCURRENCE), countOccurrences(catalog, dataset.train));

describe('the model registry', () => {
  it('holds the kinds of model-kinds.ts in order, labelled, each with the ways it is built', () => {
    const kinds = modelKinds();
    expect(kinds.map((k) => k.name)).toEqual(Object.keys(MODEL_KINDS));
    expect(kinds.map((k) => k.label)).toEqual(Object.values(MODEL_KINDS).map((k) => k.label));
    expect(kinds.filter((k) => k.load).map((k) => k.name)).toEqual(['cooccurrence', 'popularity', 'haf']);
    expect(kinds.every((k) => k.build)).toBe(true);
  });

  it('builds the baselines from a dataset as the eval helpers do', async () => {
    expect(await scores(await buildModel('popularity', { dataset }))).toEqual(await scores(popularity));
    expect(await scores(await buildModel('cooccurrence', { dataset }))).toEqual(await scores(cooccurrence()));
  });

  it("builds the HAF kinds on the caller's HAF, the blend with its weight", async () => {
    const haf = () => Promise.resolve(popularity);
    expect(await buildModel('haf', { dataset, haf })).toBe(popularity);
    const blend = await buildModel('haf+cooccurrence', { dataset, haf, blendWeight: 0.5 });
    expect(blend.name).toBe('haf+cooccurrence');
    expect(await scores(blend)).toEqual(await scores(createPriorBlend(popularity, cooccurrence(), catalog, 0.5)));
    const byDefault = await buildModel('haf+cooccurrence', { dataset, haf });
    expect(await scores(byDefault)).toEqual(await scores(createPriorBlend(popularity, cooccurrence(), catalog, DEFAULT_BLEND_WEIGHT)));
  });

  it('names what is valid: an unknown kind, a HAF kind without HAF', async () => {
    await expect(buildModel('sasrec', { dataset })).rejects.toThrow(ConfigError);
    await expect(buildModel('sasrec', { dataset })).rejects.toThrow(/unknown model kind "sasrec"; valid kinds are cooccurrence, popularity, haf\+cooccurrence, haf/);
    await expect(buildModel('haf', { dataset })).rejects.toThrow(/"haf" needs HAF weights/);
  });

  it('takes new kinds: built from a dataset, and served from a manifest only when they load one', async () => {
    registerModelKind({ name: 'constant', label: 'the popularity picks', build: async () => popularity });
    expect(await buildModel('constant', { dataset })).toBe(popularity);
    const manifest = { format: 'hafrec-model', version: 1, kind: 'constant', ids: ['f1'] };
    const load = loadModel({ manifest, catalog, url: 'https://s/m.json', fetch });
    await expect(load).rejects.toThrow(ModelFormatError);
    await expect(load).rejects.toThrow(/unknown kind "constant"; valid kinds are cooccurrence, popularity, haf$/);
  });
});

import { describe, expect, it } from 'vitest';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../../eval/baselines/cooccurrence.ts';
import { countOccurrences, createPopularity } from '../../eval/baselines/popularity.ts';
import type { Recommender } from '../../eval/recommender.ts';
import { tinyCatalog, tinyTrain } from '../../model/test-fixtures.ts';
import type { WorkbenchData } from './workbench-data.ts';
import { datasetManifest, loadDatasetModel } from './workbench-manifests.ts';

const catalog = tinyCatalog();
const train = tinyTrain();
const transitions = countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE);
// Weights that a 1e-4 rounding would change: the manifest must keep them exactly.
transitions.weights.forEach((w, e) => (transitions.weights[e] = w + 1 / 3 ** (1 + (e % 7))));
const data: WorkbenchData = {
  dataset: { name: 'tiny', catalog, train, valid: [], test: [] },
  popularity: countOccurrences(catalog, train),
  transitions,
  cases: { valid: new Map(), test: new Map() },
};
const requests = catalog.domains.flatMap((_, domain) => [{ history: Int32Array.from([1, 7, 3]), domain }, { history: Int32Array.from([12]), domain }]);
const scores = async (r: Recommender): Promise<number[][]> => (await r.score(requests)).map((s) => [...s]);

describe("the demo's baselines, loaded by the registry from manifests of their kinds", () => {
  it('writes a manifest of the registered kind for the dataset catalog, ids in catalog order', () => {
    for (const kind of ['cooccurrence', 'popularity'] as const) {
      const manifest = datasetManifest(data, kind);
      expect(manifest).toMatchObject({ format: 'hafrec-model', version: 1, kind });
      expect(manifest.ids).toEqual(Array.from({ length: catalog.size }, (_, p) => catalog.id(p + 1)));
    }
  });

  it('scores exactly as the baselines counted in the engine (no rounding of the weights)', async () => {
    const cooccurrence = await loadDatasetModel(data, 'cooccurrence');
    expect(cooccurrence.name).toBe('cooccurrence');
    expect(await scores(cooccurrence)).toEqual(await scores(createCooccurrence(catalog, transitions, data.popularity, DEFAULT_COOCCURRENCE)));
    const popularity = await loadDatasetModel(data, 'popularity');
    expect(await scores(popularity)).toEqual(await scores(createPopularity(catalog, data.popularity)));
  });
});

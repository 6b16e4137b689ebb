import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../catalog/dataset-load.ts';
import type { Dataset } from '../catalog/types.ts';
import { evaluate } from '../eval/evaluate.ts';
import type { HafBundleFile } from '../engine/haf-bundle-file.ts';
import { ModelFormatError } from '../engine/errors.ts';
import { decodePrior } from '../engine/prior-binary.ts';
import { checkSameItems, loadBundle } from './bundle-load.ts';
import { BLEND_GRID, writeBundle, type BundleSummary } from './bundle-write.ts';
import { tinyStore, type TinyStore } from './test-fixtures.ts';

let store: TinyStore;
let dataset: Dataset;
let summary: BundleSummary;
let site: string;

beforeAll(async () => {
  store = await tinyStore();
  dataset = await loadDataset(store.data);
  site = join(store.root, 'site');
  summary = await writeBundle({ data: store.data, weights: store.weights, out: site });
}, 120_000);

describe('writeBundle', () => {
  it('writes the catalog, the weights, the prior and a haf manifest', async () => {
    expect(summary.files.map((f) => f.path)).toEqual(['catalog.json', 'model.json', 'prior.bin', 'haf/model.json', 'haf/weights.bin', 'haf/items.bin']);
    const catalog = JSON.parse(await readFile(join(site, 'catalog.json'), 'utf8')) as { items: { id: string }[] };
    expect(catalog.items.map((i) => i.id)).toEqual(dataset.catalog.items.map((i) => i.id));
    const file = JSON.parse(await readFile(join(site, 'model.json'), 'utf8')) as HafBundleFile;
    expect(file).toMatchObject({ format: 'hafrec-model', version: 1, kind: 'haf', weights: 'haf/model.json', items: 'haf/items.bin', prior: 'prior.bin', quantization: 'float16' });
    expect(file.features).toEqual([{ modality: 'text', encoder: 'lexical-v1-d32', source: 'catalog-text' }]);
    expect(file.ids).toEqual(dataset.catalog.items.map((i) => i.id));
    const prior = decodePrior(new Uint8Array(await readFile(join(site, 'prior.bin'))).buffer, 'prior.bin');
    expect(prior.header.rows).toBe(file.ids.length);
    expect(prior.header.top).toBe(0);
  });

  it('records every grid candidate on valid and serves by the rule (never below the prior alone)', () => {
    const { blend } = summary.file;
    expect(blend.split).toBe('valid');
    expect(blend.candidates.map((c) => c.weight)).toEqual([...BLEND_GRID, null]);
    const prior = blend.candidates.find((c) => c.weight === null)!;
    const eligible = blend.candidates.filter((c) => c.weight !== null && c.sampledNdcg10 >= prior.sampledNdcg10 && c.fullNdcg10! >= prior.fullNdcg10!);
    if (eligible.length === 0) {
      expect(blend.serves).toBe('prior');
    } else {
      const best = Math.max(...eligible.map((c) => c.sampledNdcg10));
      expect(blend.serves).toBe('haf+prior');
      expect(eligible.find((c) => c.weight === blend.weight)!.sampledNdcg10).toBe(best);
    }
  });

  it('evaluating the bundle through the worker loader gives the score recorded for the served weight', async () => {
    const { catalog, recommender } = await loadBundle(site);
    try {
      checkSameItems(catalog, dataset.catalog, site);
      const report = await evaluate(recommender, catalog, dataset.valid, { split: 'valid' });
      const { blend } = summary.file;
      const served = blend.candidates.find((c) => c.weight === (blend.serves === 'prior' ? null : blend.weight))!;
      expect(report.sampled.overall!['NDCG@10']).toBeCloseTo(served.sampledNdcg10, 5);
      expect(report.full!.overall!['NDCG@10']).toBeCloseTo(served.fullNdcg10!, 5);
    } finally {
      recommender.dispose();
    }
  });

  it('forces HAF to be served only when it wins on valid; a one-point grid records both candidates', async () => {
    const out = join(store.root, 'site-one');
    const one = await writeBundle({ data: store.data, weights: store.weights, out, grid: [0.3], quantization: 'uint8' });
    expect(one.file.blend.candidates.map((c) => c.weight)).toEqual([0.3, null]);
    expect(one.file.quantization).toBe('uint8');
    const [blend, prior] = one.file.blend.candidates;
    const wins = blend!.sampledNdcg10 >= prior!.sampledNdcg10 && blend!.fullNdcg10! >= prior!.fullNdcg10!;
    expect(one.file.blend.serves).toBe(wins ? 'haf+prior' : 'prior');
  }, 60_000);

  it('refuses to evaluate a bundle against another dataset (typed error)', async () => {
    const { catalog, recommender } = await loadBundle(site);
    recommender.dispose();
    const other = { ...dataset.catalog, size: 1, items: dataset.catalog.items.slice(0, 1) };
    expect(() => checkSameItems(catalog, other, site)).toThrow(ModelFormatError);
  });

  it('a missing bundle folder is a typed error naming the file', async () => {
    await expect(loadBundle(join(store.root, 'nowhere'))).rejects.toThrow(/catalog\.json: cannot be read \(ENOENT\)/);
  });
});

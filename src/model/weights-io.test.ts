import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { createHafModel } from './create.ts';
import { CatalogMismatchError, FeatureMismatchError, WeightsFormatError } from './errors.ts';
import { fileHandler } from './node.ts';
import { toHalf } from '../catalog/float16.ts';
import { HafRecommender } from './recommender.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from './test-fixtures.ts';
import { loadHaf, saveHaf } from './weights-io.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const history = Int32Array.from([1, 7, 2, 8]);
let dir: string;

async function scores(rec: HafRecommender): Promise<Float32Array> {
  return (await rec.score([{ history, domain: 1 }]))[0]!;
}

describe('weights save/load', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'haf-weights-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through files: same scores, manifest names catalog and features', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text], train: tinyTrain() });
    const original = new HafRecommender(model, catalog);
    const manifest = await saveHaf(model, catalog, [text], fileHandler(join(dir, 'f32')));
    expect(manifest.catalog).toMatchObject({ name: 'tiny', size: 12, domains: ['a', 'b'] });
    expect(manifest.features).toEqual([{ modality: 'text', encoder: 'test-text-v1', dim: 4 }]);
    const { model: loaded } = await loadHaf(fileHandler(join(dir, 'f32')), catalog, [text]);
    const copy = new HafRecommender(loaded, catalog);
    expect(Array.from(await scores(copy))).toEqual(Array.from(await scores(original)));
    original.dispose();
    copy.dispose();
  });

  it('float16 and uint8 item tables load with small score changes', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text] });
    const original = new HafRecommender(model, catalog, { ownsModel: false });
    const reference = await scores(original);
    for (const quantization of ['float16', 'uint8'] as const) {
      await saveHaf(model, catalog, [text], fileHandler(join(dir, quantization)), { quantization });
      const { model: loaded, manifest } = await loadHaf(fileHandler(join(dir, quantization)), catalog, [text]);
      expect(manifest.quantization).toBe(quantization);
      const copy = new HafRecommender(loaded, catalog);
      const got = await scores(copy);
      got.forEach((s, i) => expect(Math.abs(s - reference[i]!)).toBeLessThan(quantization === 'float16' ? 1e-2 : 0.1));
      copy.dispose();
    }
    original.dispose();
    model.dispose();
  });

  it('quantizes exactly the item tables: the ID table and the content projections', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text] });
    await saveHaf(model, catalog, [text], fileHandler(join(dir, 'tables')), { quantization: 'uint8' });
    model.dispose();
    const json = JSON.parse(await readFile(join(dir, 'tables', 'model.json'), 'utf8')) as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const quantized = json.weightsManifest.flatMap((g) => g.weights).filter((w) => w.quantization?.dtype === 'uint8' && w.name !== 'item.known');
    expect(quantized.map((w) => w.name)).toEqual(['item.id', 'item.proj.text.b', 'item.proj.text.w']);
  });

  it('encodes half floats exactly where representable', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff);
  });

  it('refuses another catalog, other features, and missing files with typed errors', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text] });
    await saveHaf(model, catalog, [text], fileHandler(join(dir, 'check')));
    model.dispose();
    const before = tf.memory().numTensors;
    const renamed = createCatalog('tiny', catalog.items.map((it, i) => (i === 4 ? { ...it, id: 'other' } : it)));
    await expect(loadHaf(fileHandler(join(dir, 'check')), renamed, [text])).rejects.toBeInstanceOf(CatalogMismatchError);
    await expect(loadHaf(fileHandler(join(dir, 'check')), catalog, [tinyText(catalog, 'another-encoder')])).rejects.toBeInstanceOf(FeatureMismatchError);
    await expect(loadHaf(fileHandler(join(dir, 'check')), catalog, [])).rejects.toThrow(/need text features from encoder "test-text-v1"/);
    await expect(loadHaf(fileHandler(join(dir, 'missing')), catalog, [text])).rejects.toBeInstanceOf(WeightsFormatError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('save and load leak no tensors', async () => {
    const model = createHafModel(catalog, { config: TINY, features: [text] });
    await saveHaf(model, catalog, [text], fileHandler(join(dir, 'leak')));
    const before = tf.memory().numTensors;
    await saveHaf(model, catalog, [text], fileHandler(join(dir, 'leak')));
    const { model: loaded } = await loadHaf(fileHandler(join(dir, 'leak')), catalog, [text]);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog } from '../catalog/types.ts';
import { createHafModel } from './create.ts';
import { CatalogMismatchError, WeightsFormatError } from './errors.ts';
import { selectNodeBackend } from './node.ts';
import type { Quantization } from './quantize.ts';
import { loadHaf, saveHaf } from './weights-io.ts';
import { reindexWeights } from './weights-reindex.ts';
import { TINY, tinyCatalog, tinyTrain } from './test-fixtures.ts';

const catalog = tinyCatalog();
const ids = catalog.items.map((i) => i.id);

/** Text features keyed by item id (so two catalogs agree on an item's content). */
function text(c: Catalog): FeatureTable {
  const dim = 4;
  const vectors = new Float32Array((c.size + 1) * dim);
  const present = new Uint8Array(c.size + 1).fill(1);
  present[0] = 0;
  c.items.forEach((item, k) => {
    const seed = Number(item.id.replace(/\D/g, '')) + 1;
    for (let j = 0; j < dim; j++) vectors[(k + 1) * dim + j] = Math.sin(seed * (j + 1));
  });
  return { modality: 'text', encoder: 'test-text-v1', dim, vectors, present };
}

async function saved(quantization: Quantization): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  const model = createHafModel(catalog, { config: TINY, features: [text(catalog)], seed: 9, train: tinyTrain().slice(0, 12) });
  try {
    await saveHaf(model, catalog, [text(catalog)], { save: async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) }, { quantization });
  } finally {
    model.dispose();
  }
  return artifacts!;
}

async function vectorsById(artifacts: tf.io.ModelArtifacts, c: Catalog): Promise<{ vectors: Map<string, number[]>; idWeight: Map<string, number> }> {
  const { model } = await loadHaf(tf.io.fromMemory(artifacts), c, [text(c)]);
  try {
    const out = tf.tidy(() => {
      const r = model.itemVectors(tf.range(0, c.size + 1, 1, 'int32') as tf.Tensor1D);
      return [r.vectors.arraySync() as number[][], (r.alpha!.arraySync() as number[][]).map((row) => row[0]!)] as const;
    });
    return { vectors: new Map(c.items.map((item, k) => [item.id, out[0][k + 1]!])), idWeight: new Map(c.items.map((item, k) => [item.id, out[1][k + 1]!])) };
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await selectNodeBackend('wasm');
});

describe('reindexWeights', () => {
  for (const q of ['float32', 'float16', 'uint8'] as const) {
    it(`moves ${q} item rows by id: same vectors per id, unknown items from content only`, async () => {
      const artifacts = await saved(q);
      const original = await vectorsById(reindexWeights(artifacts, ids, catalog).artifacts, catalog);
      // Reordered within domains, i4 dropped, a new "a" item with content.
      const a = catalog.items.filter((i) => i.domain === 'a' && i.id !== 'i4').reverse();
      const shop = createCatalog('shop', [...a, { id: 'new9', domain: 'a', title: 'new' }, ...catalog.items.filter((i) => i.domain === 'b')]);
      const fitted = reindexWeights(artifacts, ids, shop);
      expect([fitted.unknown, fitted.dropped]).toEqual([1, 1]);
      const moved = await vectorsById(fitted.artifacts, shop);
      for (const item of shop.items.filter((i) => i.id !== 'new9')) {
        expect(moved.vectors.get(item.id)!.map((x, j) => Math.abs(x - original.vectors.get(item.id)![j]!))).toSatisfy((d: number[]) => Math.max(...d) < 1e-5);
      }
      expect(moved.idWeight.get('new9')).toBeCloseTo(0, 6);
      expect(moved.vectors.get('new9')!.every(Number.isFinite)).toBe(true);
    });
  }

  it('typed errors: another domain order, or a wrong number of ids', async () => {
    const artifacts = await saved('float16');
    const flipped = createCatalog('flipped', [...catalog.items].reverse());
    expect(() => reindexWeights(artifacts, ids, flipped)).toThrow(CatalogMismatchError);
    expect(() => reindexWeights(artifacts, ids.slice(1), catalog)).toThrow(WeightsFormatError);
  });
});

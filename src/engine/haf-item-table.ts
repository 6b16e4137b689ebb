/**
 * The lazy `haf` runtime's use of a bundle's precomputed item vectors (`haf/items.bin`, see
 * item-table-binary.ts): rows mapped to the shop's catalog by id; only the catalog's items the
 * bundle lacks get content features (missing-features.ts) and go through HAF's item tower.
 * The shipped weights then hold no `item.id` table: a zero one stands in for the tower's
 * gather (its rows are never used for items that have a precomputed vector).
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import type { HafModel } from '../model/model.ts';
import { ITEM_ID } from '../model/param-layout.ts';
import type { ItemTableData } from '../model/recommender.ts';
import { rowMap } from '../model/weights-reindex.ts';
import { decodeItemTable, gatherTable } from './item-table-binary.ts';

/** Weights without an `item.id` table get a zero one (uint8: one byte per value). */
export function withZeroItemIds(artifacts: tf.io.ModelArtifacts, rows: number, dim: number): tf.io.ModelArtifacts {
  const specs = artifacts.weightSpecs ?? [];
  if (specs.some((s) => s.name === ITEM_ID)) return artifacts;
  const parts = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData as ArrayBuffer];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0) + rows * dim);
  let at = 0;
  for (const part of parts) (out.set(new Uint8Array(part), at), (at += part.byteLength));
  const spec: tf.io.WeightsManifestEntry = { name: ITEM_ID, shape: [rows, dim], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 1 } };
  return { ...artifacts, weightSpecs: [...specs, spec], weightData: out.buffer };
}

export interface CatalogItemTable {
  readonly table: ItemTableData;
  readonly dim: number;
  /** Catalog rows the bundle has no vector for (computed by the item tower). */
  readonly missing: Int32Array;
}

/** items.bin re-indexed to the shop's catalog by id. */
export function catalogItemTable(bytes: ArrayBuffer, url: string, ids: readonly string[], catalog: Catalog): CatalogItemTable {
  const { header, table } = decodeItemTable(bytes, url);
  const from = rowMap(ids, catalog);
  const missing = Int32Array.from(Array.from(from.keys()).filter((i) => i > 0 && from[i]! < 0));
  return { table: gatherTable(table, header, from), dim: header.dim, missing };
}

/** Runs the item tower for the missing rows and writes them into the table. */
export async function fillMissing(model: HafModel, { table, dim, missing }: CatalogItemTable): Promise<void> {
  if (missing.length === 0) return;
  const [outVectors, outAlpha] = tf.tidy(() => {
    const out = model.itemVectors(tf.tensor1d(missing, 'int32'));
    return out.alpha ? [out.vectors, out.alpha] : [out.vectors];
  }) as [tf.Tensor2D, tf.Tensor2D?];
  try {
    const vectors = (await outVectors.data()) as Float32Array;
    const alpha = outAlpha ? ((await outAlpha.data()) as Float32Array) : undefined;
    const p = table.alpha ? table.alpha.length / (table.vectors.length / dim) : 0;
    missing.forEach((row, k) => {
      (table.vectors as Float32Array).set(vectors.subarray(k * dim, (k + 1) * dim), row * dim);
      if (alpha && table.alpha) (table.alpha as Float32Array).set(alpha.subarray(k * p, (k + 1) * p), row * p);
    });
  } finally {
    tf.dispose([outVectors, outAlpha ?? []]);
  }
}

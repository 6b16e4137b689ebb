/**
 * Node-only: a bundle's `haf/items.bin` (HAF's item vectors computed ahead, int8 per row) and
 * the weights without their `item.id` table, which the vectors replace: the worker then needs
 * neither the catalog's text features nor the item tower for the bundle's items.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { toHalf } from '../catalog/float16.ts';
import type { FeatureTable } from '../catalog/features.ts';
import { ITEM_ID } from '../model/param-layout.ts';
import { bytesPerValue } from '../model/weights-reindex.ts';
import type { HafBundleFile } from '../engine/haf-bundle-file.ts';
import { loadBundleHaf } from '../engine/haf-runtime.ts';
import { encodeItemTable } from '../engine/item-table-binary.ts';
import type { ModelContext } from '../engine/model-context.ts';

export const ITEMS_FILE = 'items.bin';

/** float16 bytes of a float32 tensor's bytes. */
function toFloat16(bytes: Buffer): Buffer {
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => out.writeUInt16LE(toHalf(v), i * 2));
  return out;
}

/**
 * Drops `item.id` from the tfjs weights in `dir` (model.json + its single weights file) and
 * stores the remaining float32 tensors (attention, feed-forward, norms) as float16: a third of
 * a megabyte less to download, scored through the same loader on valid by `npm run bundle`.
 */
export async function stripItemIds(dir: string): Promise<void> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const group = json.weightsManifest[0]!;
  const bin = await readFile(join(dir, group.paths[0]!));
  const kept: tf.io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  let at = 0;
  for (const spec of group.weights) {
    const size = spec.shape.reduce((a, b) => a * b, 1) * bytesPerValue(spec);
    const own = bin.subarray(at, at + size);
    const half = spec.dtype === 'float32' && spec.quantization === undefined;
    if (spec.name !== ITEM_ID) (kept.push(half ? { ...spec, quantization: { dtype: 'float16' } } : spec), parts.push(half ? toFloat16(own) : own));
    at += size;
  }
  await writeFile(join(dir, group.paths[0]!), Buffer.concat(parts));
  await writeFile(join(dir, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ ...group, weights: kept }] }));
}

/** Computes every row's item vector through the worker's own loader (from `tables` when given: CLIP features), writes items.bin, strips item.id. */
export async function writeItemTable(context: ModelContext, file: HafBundleFile, weightsDir: string, tables?: readonly FeatureTable[]): Promise<void> {
  const haf = await loadBundleHaf(context, { ...file, items: undefined } as HafBundleFile, tables);
  try {
    await writeFile(join(weightsDir, ITEMS_FILE), encodeItemTable(await haf.itemTableData(), context.catalog.size + 1));
  } finally {
    haf.dispose();
  }
  await stripItemIds(weightsDir);
}

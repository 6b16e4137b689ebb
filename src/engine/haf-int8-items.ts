/**
 * The `haf` kind's int8 serving of a large catalog: items.bin's codes are copied straight into
 * one int8 table per domain of the shop's catalog (no float32 copy of the table), and HAF's
 * item tower runs only for the catalog items the bundle lacks. That tower's model is loaded
 * for a catalog of those items alone, so its `item.id` rows, content features and tensors
 * are the size of the new items, not of the catalog.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog, Item } from '../catalog/types.ts';
import { UnknownDomainError, UnknownItemError } from '../catalog/errors.ts';
import { emptyRows, writeRow } from '../model/int8-rows.ts';
import type { Int8ItemTableParts } from '../model/int8-item-table.ts';
import type { HafModel } from '../model/model.ts';
import { rowMap } from '../model/weights-reindex.ts';
import { readItemTable } from './item-table-binary.ts';

export interface CatalogInt8Items {
  readonly parts: Int8ItemTableParts;
  /** Catalog rows the bundle has no vector for (computed by the item tower), ascending. */
  readonly missing: Int32Array;
}

/** items.bin's rows for the shop's catalog by item id, as int8 rows per domain; missing rows left zero. */
export function catalogInt8Items(bytes: ArrayBuffer, url: string, ids: readonly string[], catalog: Catalog): CatalogInt8Items {
  const stored = readItemTable(bytes, url);
  const { dim, modalities } = stored.header;
  const from = bundleRows(ids, catalog);
  const domains = catalog.domainItems.map((items) => {
    const rows = emptyRows(items.length, dim);
    items.forEach((item, k) => {
      const src = from[item]!;
      if (src < 0) return;
      rows.codes.set(stored.codes.subarray(src * dim, (src + 1) * dim), k * rows.stride);
      rows.scales[k] = stored.scales[src]!;
    });
    return rows;
  });
  const alpha = stored.alpha ? new Uint8Array((catalog.size + 1) * modalities) : undefined;
  if (alpha) from.forEach((src, i) => src >= 0 && alpha.set(stored.alpha!.subarray(src * modalities, (src + 1) * modalities), i * modalities));
  const missing = Int32Array.from(Array.from(from.keys()).filter((i) => i > 0 && from[i]! < 0));
  return { parts: { domains, modalities: alpha ? modalities : 0, ...(alpha ? { alpha } : {}) }, missing };
}

/**
 * rowMap(ids, catalog), without its Map of every id when the bundle lists exactly the
 * catalog's items in order (a bundle built from this catalog): ~2 s less for a million items.
 */
export function bundleRows(ids: readonly string[], catalog: Catalog): Int32Array {
  const same = ids.length === catalog.size && ids.every((id, i) => catalog.id(i + 1) === id);
  return same ? Int32Array.from({ length: catalog.size + 1 }, (_, i) => i) : rowMap(ids, catalog);
}

/**
 * The catalog of `items` alone (catalog indices, ascending), with every domain of `catalog`
 * in the same order, empty ones included: what the missing items' HAF model is loaded for.
 */
export function subCatalog(catalog: Catalog, items: Int32Array): Catalog {
  const chosen: Item[] = Array.from(items, (i) => catalog.item(i));
  const domainOf = Int32Array.from([-1, ...Array.from(items, (i) => catalog.domainOf[i]!)]);
  const domainItems = catalog.domains.map((_, d) => Int32Array.from(Array.from(items.keys()).filter((k) => domainOf[k + 1] === d), (k) => k + 1));
  const byId = new Map(chosen.map((item, k) => [item.id, k + 1]));
  const size = chosen.length;
  return {
    name: catalog.name,
    domains: catalog.domains,
    items: chosen,
    size,
    domainOf,
    domainItems,
    indexOf: (id) => byId.get(id) ?? throwUnknown(id, size),
    findIndex: (id) => byId.get(id),
    id: (index) => chosen[index - 1]?.id ?? throwUnknown(index, size),
    item: (index) => chosen[index - 1] ?? throwUnknown(index, size),
    domainIndex: (domain) => {
      const d = catalog.domains.indexOf(domain);
      if (d < 0) throw new UnknownDomainError(domain, catalog.domains);
      return d;
    },
  };
}

function throwUnknown(item: string | number, size: number): never {
  throw new UnknownItemError(item, size);
}

/** Rows of the item tower per pass: bounds the tensors of a catalog with many new items. */
const TOWER_CHUNK = 4096;

/**
 * Runs `model` (loaded for subCatalog(catalog, missing)) over its items and writes their
 * vectors and modality weights into `parts`' rows of the catalog items `missing`.
 */
export async function fillMissingInt8(model: HafModel, catalog: Catalog, { parts, missing }: CatalogInt8Items): Promise<void> {
  for (let start = 0; start < missing.length; start += TOWER_CHUNK) {
    const end = Math.min(missing.length, start + TOWER_CHUNK);
    const [vectors, alpha] = tf.tidy(() => {
      const out = model.itemVectors(tf.range(start + 1, end + 1, 1, 'int32') as tf.Tensor1D); // sub-catalog rows
      return out.alpha ? [out.vectors, out.alpha] : [out.vectors];
    }) as [tf.Tensor2D, tf.Tensor2D?];
    try {
      const v = (await vectors.data()) as Float32Array; // [n, d]
      const a = alpha ? ((await alpha.data()) as Float32Array) : undefined; // [n, P]
      const d = vectors.shape[1];
      const p = parts.modalities;
      for (let k = 0; k < end - start; k++) {
        const item = missing[start + k]!;
        const domain = catalog.domainOf[item]!;
        writeRow(parts.domains[domain]!, positionIn(catalog.domainItems[domain]!, item), v.subarray(k * d, (k + 1) * d));
        for (let j = 0; a && parts.alpha && j < p; j++) parts.alpha[item * p + j] = Math.round(Math.min(1, Math.max(0, a[k * p + j]!)) * 255);
      }
    } finally {
      tf.dispose([vectors, alpha ?? []]);
    }
  }
}

/** Where `item` sits in a domain's ascending item list (binary search). */
function positionIn(items: Int32Array, item: number): number {
  let [lo, hi] = [0, items.length - 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]! < item) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

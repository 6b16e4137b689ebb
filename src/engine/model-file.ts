import type { Catalog } from '../catalog/types.ts';
import type { CooccurrenceParams, TransitionTable } from '../eval/baselines/cooccurrence.ts';
import { ModelFormatError } from './errors.ts';
import { catalogIds } from '../catalog/catalog.ts';

/**
 * Model files are JSON manifests `{ format: "hafrec-model", version: 1, kind, ids, ... }`.
 * Tables are keyed by the store's item ids (`ids[r - 1]` is row r), not by positions, so a
 * store may reorder or extend its catalog without retraining: unknown ids are dropped.
 */
export interface ModelFileBase {
  readonly format: 'hafrec-model';
  readonly version: 1;
  readonly kind: string;
  readonly ids: readonly string[];
  /** Where the model came from (dataset, command), for people reading the file. */
  readonly source?: string;
}

export interface CooccurrenceFile extends ModelFileBase {
  readonly kind: 'cooccurrence';
  readonly params: CooccurrenceParams;
  /** Row r (1-based) spans offsets[r]..offsets[r+1] of targets/weights; targets are row numbers. */
  readonly offsets: readonly number[];
  readonly targets: readonly number[];
  readonly weights: readonly number[];
  /** [ids.length + 1] training occurrences, 0 at padding. */
  readonly popularity: readonly number[];
}

export interface PopularityFile extends ModelFileBase {
  readonly kind: 'popularity';
  readonly popularity: readonly number[];
}

/**
 * Serializes a co-occurrence table whose rows are the internal indices of `catalog`. Weights
 * are rounded to 1e-4 for a small JSON file unless `exact` (a manifest that never becomes a
 * file, whose ranks must stay bit-for-bit the counts').
 */
export function writeCooccurrenceFile(
  catalog: Catalog,
  table: TransitionTable,
  popularity: ArrayLike<number>,
  params: CooccurrenceParams,
  source?: string,
  exact = false,
): CooccurrenceFile {
  return {
    format: 'hafrec-model',
    version: 1,
    kind: 'cooccurrence',
    ...(source === undefined ? {} : { source }),
    ids: catalogIds(catalog),
    params,
    offsets: [...table.offsets],
    targets: [...table.targets],
    weights: exact ? Array.from(table.weights) : Array.from(table.weights, (w) => Math.round(w * 1e4) / 1e4),
    popularity: Array.from(popularity),
  };
}

/** Re-indexes a co-occurrence file to `catalog`; rows and targets the catalog lacks are dropped. */
export function readCooccurrenceFile(file: CooccurrenceFile, catalog: Catalog, url: string): {
  table: TransitionTable;
  popularity: Float64Array;
} {
  return reindexTable(file, catalog, url);
}

/** The arrays of a co-occurrence table keyed by `ids` (JSON arrays or typed arrays of a binary prior). */
export interface IdTable {
  readonly ids: readonly string[];
  readonly offsets: ArrayLike<number>;
  readonly targets: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
  readonly popularity: ArrayLike<number>;
}

/** Re-indexes a table keyed by ids to `catalog`'s internal indices; rows and targets the catalog lacks are dropped. */
export function reindexTable(file: IdTable, catalog: Catalog, url: string): { table: TransitionTable; popularity: Float64Array } {
  const n = file.ids.length;
  if (file.offsets.length !== n + 2 || file.popularity.length !== n + 1) {
    throw new ModelFormatError(url, `offsets must have ids.length + 2 (${n + 2}) and popularity ids.length + 1 entries`);
  }
  if (file.targets.length !== file.weights.length || file.targets.length !== file.offsets[n + 1]) {
    throw new ModelFormatError(url, 'targets and weights must both have offsets[last] entries');
  }
  const toCatalog = Int32Array.from([0, ...file.ids.map((id) => catalog.findIndex(id) ?? 0)]);
  if (n === catalog.size && toCatalog.every((c, r) => c === r)) return sameOrder(file, n);
  const rows: [number, number][][] = Array.from({ length: catalog.size + 1 }, () => []);
  const popularity = new Float64Array(catalog.size + 1);
  for (let r = 1; r <= n; r++) {
    const src = toCatalog[r]!;
    if (src === 0) continue;
    popularity[src] = file.popularity[r]!;
    for (let e = file.offsets[r]!; e < file.offsets[r + 1]!; e++) {
      const dst = toCatalog[file.targets[e]!] ?? 0;
      if (dst !== 0) rows[src]!.push([dst, file.weights[e]!]);
    }
  }
  const offsets = new Uint32Array(catalog.size + 2);
  rows.forEach((row, r) => (offsets[r + 1] = offsets[r]! + row.length));
  const targets = new Int32Array(offsets[catalog.size + 1]!);
  const weights = new Float32Array(targets.length);
  let at = 0;
  for (const row of rows) {
    for (const [dst, w] of row.sort((a, b) => a[0] - b[0])) {
      targets[at] = dst;
      weights[at++] = w;
    }
  }
  return { table: { offsets, targets, weights }, popularity };
}

/** A table already in the catalog's order (the usual case: the shop serves the bundle's catalog). */
function sameOrder(file: IdTable, n: number): { table: TransitionTable; popularity: Float64Array } {
  const offsets = Uint32Array.from(file.offsets);
  const targets = Int32Array.from(file.targets);
  const weights = Float32Array.from(file.weights);
  for (let r = 1; r <= n; r++) {
    for (let e = offsets[r]! + 1; e < offsets[r + 1]!; e++) {
      if (targets[e]! <= targets[e - 1]!) return sortedRows(offsets, targets, weights, Float64Array.from(file.popularity));
    }
  }
  return { table: { offsets, targets, weights }, popularity: Float64Array.from(file.popularity) };
}

/** Sorts each row's targets ascending (with their weights). */
function sortedRows(offsets: Uint32Array, targets: Int32Array, weights: Float32Array, popularity: Float64Array): { table: TransitionTable; popularity: Float64Array } {
  for (let r = 0; r + 1 < offsets.length; r++) {
    const edges = Array.from({ length: offsets[r + 1]! - offsets[r]! }, (_, k) => [targets[offsets[r]! + k]!, weights[offsets[r]! + k]!] as const).sort((a, b) => a[0] - b[0]);
    edges.forEach(([t, w], k) => ((targets[offsets[r]! + k] = t), (weights[offsets[r]! + k] = w)));
  }
  return { table: { offsets, targets, weights }, popularity };
}

/** Re-indexes a popularity file to `catalog`. */
export function readPopularityFile(file: PopularityFile, catalog: Catalog, url: string): Float64Array {
  if (file.popularity.length !== file.ids.length + 1) {
    throw new ModelFormatError(url, 'popularity must have ids.length + 1 entries');
  }
  const counts = new Float64Array(catalog.size + 1);
  file.ids.forEach((id, p) => {
    const index = catalog.findIndex(id);
    if (index !== undefined) counts[index] = file.popularity[p + 1]!;
  });
  return counts;
}

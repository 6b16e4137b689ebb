import type { FeatureTable, Modality } from '../catalog/features.ts';
import { openHafrecDb } from './open-db.ts';

/**
 * Feature tables (e.g. the demo's lexical title vectors) cached whole in a hafrec database's
 * `features` store, so that a revisit skips the encoding. Each call opens and closes its own
 * connection: these are read once per visit and must not hold the database open.
 */
export interface FeatureTableKey {
  /** What the table was computed from; the caller makes it change when the catalog does. */
  readonly catalog: string;
  readonly modality: Modality;
  readonly encoder: string;
}

export interface FeatureCacheOptions {
  /** How long to wait for other tabs to release an older version before failing. */
  readonly blockedTimeoutMs?: number;
}

const openOptions = (options: FeatureCacheOptions) => (options.blockedTimeoutMs === undefined ? {} : { blockedTimeoutMs: options.blockedTimeoutMs });

/**
 * The cached table of `key` when it has the expected shape (`size` items, `dim` values each);
 * undefined when there is none or it does not fit. Fails with a StoreError when the database
 * cannot be opened.
 */
export async function readFeatureTable(dbName: string, key: FeatureTableKey, shape: { size: number; dim: number }, options: FeatureCacheOptions = {}): Promise<FeatureTable | undefined> {
  const db = await openHafrecDb(dbName, openOptions(options));
  try {
    const record = await db.get('features', [key.catalog, key.modality, key.encoder]);
    const { size, dim } = shape;
    if (!record || record.dim !== dim || record.vectors.length !== (size + 1) * dim || record.present.length !== size + 1) return undefined;
    return { modality: key.modality, encoder: key.encoder, dim, vectors: record.vectors, present: record.present };
  } finally {
    db.close();
  }
}

/**
 * Stores `table` under `catalog` in one transaction, deleting the tables of the same encoder
 * stored under the catalogs `supersedes` names (older versions of this catalog), so that a
 * catalog that changes daily does not pile up tables.
 */
export async function saveFeatureTable(
  dbName: string,
  catalog: string,
  table: FeatureTable,
  supersedes: (storedCatalog: string) => boolean = () => false,
  options: FeatureCacheOptions = {},
): Promise<void> {
  const db = await openHafrecDb(dbName, openOptions(options));
  try {
    const tx = db.transaction('features', 'readwrite');
    for (const old of await tx.store.getAllKeys()) {
      if (old[0] !== catalog && old[2] === table.encoder && supersedes(old[0])) await tx.store.delete(old);
    }
    await tx.store.put({ catalog, modality: table.modality, encoder: table.encoder, dim: table.dim, vectors: table.vectors, present: table.present });
    await tx.done;
  } finally {
    db.close();
  }
}

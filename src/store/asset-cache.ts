import type { IDBPDatabase } from 'idb';
import type { Item } from '../catalog/types.ts';
import type { HafrecDB } from './schema.ts';

/**
 * Offline copies of the store owner's static assets (catalog items, model manifests), keyed by
 * the URL they came from. Caches only: dropped when storage is full or the shopper forgets.
 */
export async function saveCatalogItems(db: IDBPDatabase<HafrecDB>, catalog: string, items: readonly Item[]): Promise<void> {
  const tx = db.transaction('items', 'readwrite');
  const range = IDBKeyRange.bound([catalog, ''], [catalog, '\uffff']);
  await tx.store.delete(range);
  await Promise.all([...items.map((item, position) => tx.store.put({ catalog, id: item.id, position, item })), tx.done]);
}

/** The cached items of `catalog` in their original order, or undefined when none are cached. */
export async function readCatalogItems(db: IDBPDatabase<HafrecDB>, catalog: string): Promise<Item[] | undefined> {
  const range = IDBKeyRange.bound([catalog, 0], [catalog, Infinity]);
  const records = await db.getAllFromIndex('items', 'by-catalog-position', range);
  return records.length > 0 ? records.map((r) => r.item) : undefined;
}

export async function saveModel(db: IDBPDatabase<HafrecDB>, key: string, manifest: unknown, now = Date.now()): Promise<void> {
  await db.put('models', { key, manifest, weights: [], savedAt: now });
}

export async function readModel(db: IDBPDatabase<HafrecDB>, key: string): Promise<unknown> {
  return (await db.get('models', key))?.manifest;
}

/** A file a model loader fetched (prior, weights), kept for offline use. */
export interface FileCopy {
  readonly body: ArrayBuffer;
  readonly type: string;
  /** ETag or Last-Modified of the response it came from ('' when the server sent neither). */
  readonly version: string;
}

const fileKey = (url: string): string => `file:${url}`;

/** Stores the copy unless one with the same non-empty version is there already. */
export async function saveFileCopy(db: IDBPDatabase<HafrecDB>, url: string, copy: FileCopy, now = Date.now()): Promise<void> {
  const old = (await db.get('models', fileKey(url)))?.manifest as { version?: string } | undefined;
  if (copy.version !== '' && old?.version === copy.version) return;
  await db.put('models', { key: fileKey(url), manifest: { type: copy.type, version: copy.version }, weights: [copy.body], savedAt: now });
}

export async function readFileCopy(db: IDBPDatabase<HafrecDB>, url: string): Promise<FileCopy | undefined> {
  const record = await db.get('models', fileKey(url));
  const meta = record?.manifest as { type?: string; version?: string } | undefined;
  const body = record?.weights[0];
  if (!record || !meta || !body) return undefined;
  return { body, type: meta.type ?? 'application/octet-stream', version: meta.version ?? '' };
}

/**
 * The offline copies as the worker sees them: bound to the store's database, never handing it
 * out. Each call uses the current connection, so copies keep working after a newer tab upgraded.
 */
export interface AssetCache {
  /** Catalog items that earlier releases cached record by record, in catalog order. */
  readCatalogItems(catalog: string): Promise<Item[] | undefined>;
  readModel(key: string): Promise<unknown>;
  saveModel(key: string, manifest: unknown): Promise<void>;
  readFileCopy(url: string): Promise<FileCopy | undefined>;
  /** Stores the copy unless one with the same non-empty version is there already. */
  saveFileCopy(url: string, copy: FileCopy): Promise<void>;
}

export function bindAssetCache(connect: () => Promise<IDBPDatabase<HafrecDB>>, now: () => number): AssetCache {
  return {
    readCatalogItems: async (catalog) => readCatalogItems(await connect(), catalog),
    readModel: async (key) => readModel(await connect(), key),
    saveModel: async (key, manifest) => saveModel(await connect(), key, manifest, now()),
    readFileCopy: async (url) => readFileCopy(await connect(), url),
    saveFileCopy: async (url, copy) => saveFileCopy(await connect(), url, copy, now()),
  };
}

import type { FeatureTable } from '../../catalog/features.ts';
import type { Catalog } from '../../catalog/types.ts';
import { itemsHash, TEXT_FIELDS } from '../../catalog/fingerprint.ts';
import { createLexicalEncoder } from '../../embedding/lexical-encoder.ts';
import { readFeatureTable, saveFeatureTable } from '../../store/feature-cache.ts';
import { DEMO_DB_NAME, type FeatureOrigin } from './workbench-protocol.ts';

/**
 * Lexical text features of a whole catalog, cached in the demo's IndexedDB (src/store's
 * feature cache) so that a revisit skips the ~3 s encoding. The record's key carries the
 * encoder id and a fingerprint of exactly what the encoder reads (id, domain, title and
 * description of every item in index order): a changed catalog or encoder misses the cache.
 */
export async function loadLexicalFeatures(catalog: Catalog, dim: number, dbName = DEMO_DB_NAME): Promise<{ table: FeatureTable; origin: FeatureOrigin }> {
  const started = performance.now();
  const encoder = createLexicalEncoder({ dim });
  const key = `${catalog.name}@${textFingerprint(catalog)}`;
  const cached = await readCached(dbName, key, encoder.id, catalog.size, dim);
  if (cached) return { table: cached, origin: { encoder: encoder.id, source: 'cache', ms: performance.now() - started } };
  const table = encoder.encodeCatalog(catalog);
  await writeCached(dbName, key, table);
  return { table, origin: { encoder: encoder.id, source: 'computed', ms: performance.now() - started } };
}

/** The key of a catalog's text: id, domain, title and description of every item (src/catalog's itemsHash). */
export function textFingerprint(catalog: Catalog): string {
  return itemsHash(catalog, TEXT_FIELDS);
}

// The cache is an optimization: a missing, blocked or full database only costs the encoding.
async function readCached(dbName: string, key: string, encoder: string, size: number, dim: number): Promise<FeatureTable | undefined> {
  return readFeatureTable(dbName, { catalog: key, modality: 'text', encoder }, { size, dim }, { blockedTimeoutMs: 1000 }).catch(() => undefined);
}

async function writeCached(dbName: string, key: string, table: FeatureTable): Promise<void> {
  // One catalog version per encoder: older fingerprints of this catalog are dropped.
  const olderVersion = (stored: string): boolean => stored.startsWith(`${key.split('@')[0]}@`);
  // Not cached: the next visit encodes again.
  await saveFeatureTable(dbName, key, table, olderVersion, { blockedTimeoutMs: 1000 }).catch(() => undefined);
}

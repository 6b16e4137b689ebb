import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog } from '../catalog/types.ts';
import { createLexicalEncoder } from '../embedding/lexical-encoder.ts';
import { openHafrecDb } from '../store/open-db.ts';
import { DEMO_DB_NAME, type FeatureOrigin } from './demo-protocol.ts';

/**
 * Lexical text features of a whole catalog, cached in the demo's IndexedDB (src/store's
 * `features` store) so that a revisit skips the ~3 s encoding. The record's key carries the
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

/** FNV-1a (two 32-bit lanes, hex) over "id\tdomain\ttitle\tdescription\n" of every item. */
export function textFingerprint(catalog: Catalog): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (const item of catalog.items) {
    const s = `${item.id}\t${item.domain}\t${item.title ?? ''}\t${item.description ?? ''}\n`;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c, 0x0100019d) >>> 0;
    }
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

// The cache is an optimization: a missing, blocked or full database only costs the encoding.
async function readCached(dbName: string, key: string, encoder: string, size: number, dim: number): Promise<FeatureTable | undefined> {
  try {
    const db = await openHafrecDb(dbName, { blockedTimeoutMs: 1000 });
    try {
      const record = await db.get('features', [key, 'text', encoder]);
      if (!record || record.dim !== dim || record.vectors.length !== (size + 1) * dim || record.present.length !== size + 1) return undefined;
      return { modality: 'text', encoder, dim, vectors: record.vectors, present: record.present };
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

async function writeCached(dbName: string, key: string, table: FeatureTable): Promise<void> {
  try {
    const db = await openHafrecDb(dbName, { blockedTimeoutMs: 1000 });
    try {
      const tx = db.transaction('features', 'readwrite');
      // One catalog version per encoder: older fingerprints of this catalog are dropped.
      for (const old of await tx.store.getAllKeys()) {
        if (old[0] !== key && old[0].startsWith(`${key.split('@')[0]}@`) && old[2] === table.encoder) await tx.store.delete(old);
      }
      await tx.store.put({ catalog: key, modality: table.modality, encoder: table.encoder, dim: table.dim, vectors: table.vectors, present: table.present });
      await tx.done;
    } finally {
      db.close();
    }
  } catch {
    // Not cached: the next visit encodes again.
  }
}

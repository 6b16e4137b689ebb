import type { DBSchema, IDBPDatabase, IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { Item } from '../catalog/types.ts';
import type { Modality } from '../catalog/features.ts';
import type { HistoryEvent } from './event.ts';

/**
 * Version history (never edit a released step; add a new one):
 * - v1: `events` (auto-increment `seq`, index `by-ts`) and `settings` (consent as a boolean).
 * - v2: caches of the store's static assets (`items`, `features`, `models`), event indexes
 *   `by-domain-ts` and `by-item`, and consent migrated to `{ granted, updatedAt }`.
 * - v3: unique event index `by-id` (the event's `id`), so that storing an event again (a page
 *   replaying another tab's pending log) is a no-op. Earlier events have no id and stay unindexed.
 */
export const DB_VERSION = 3;
export const DEFAULT_DB_NAME = 'hafrec';

export interface ConsentSetting {
  readonly key: 'consent';
  readonly granted: boolean;
  /** When the shopper (or the page) last decided; 0 when migrated from v1 without a date. */
  readonly updatedAt: number;
}
export type SettingRecord = ConsentSetting;

/** One catalog item cached so that recommendations work offline. */
export interface CachedItem {
  readonly catalog: string;
  readonly id: string;
  /** 0-based order in the catalog file, so that internal indices can be rebuilt. */
  readonly position: number;
  readonly item: Item;
}

/** One feature table (e.g. CLIP image vectors) of one catalog. */
export interface FeatureRecord {
  readonly catalog: string;
  readonly modality: Modality;
  readonly encoder: string;
  readonly dim: number;
  readonly vectors: Float32Array;
  readonly present: Uint8Array;
}

/** A model (manifest + weight buffers) cached under the URL it was loaded from. */
export interface ModelRecord {
  readonly key: string;
  readonly manifest: unknown;
  readonly weights: readonly ArrayBuffer[];
  readonly savedAt: number;
}

export interface HafrecDB extends DBSchema {
  events: {
    key: number;
    value: HistoryEvent;
    indexes: { 'by-ts': number; 'by-domain-ts': [string, number]; 'by-item': string; 'by-id': string };
  };
  settings: { key: string; value: SettingRecord };
  items: { key: [string, string]; value: CachedItem; indexes: { 'by-catalog-position': [string, number] } };
  features: { key: [string, string, string]; value: FeatureRecord };
  models: { key: string; value: ModelRecord };
}

export const STORE_NAMES = ['events', 'settings', 'items', 'features', 'models'] as const satisfies readonly StoreNames<HafrecDB>[];
/** Stores that only cache the store owner's static assets: safe to drop when storage is full. */
export const CACHE_STORES = ['items', 'features', 'models'] as const satisfies readonly StoreNames<HafrecDB>[];

type UpgradeTx = IDBPTransaction<HafrecDB, StoreNames<HafrecDB>[], 'versionchange'>;

/**
 * The upgrade ladder. `target` is the version being opened (DB_VERSION in production; tests
 * stop earlier to write databases exactly as older releases did).
 */
export function upgradeDatabase(db: IDBPDatabase<HafrecDB>, oldVersion: number, target: number, tx: UpgradeTx): void {
  if (oldVersion < 1 && target >= 1) {
    const events = db.createObjectStore('events', { keyPath: 'seq', autoIncrement: true });
    events.createIndex('by-ts', 'ts');
    db.createObjectStore('settings', { keyPath: 'key' });
  }
  if (oldVersion < 2 && target >= 2) {
    const events = tx.objectStore('events');
    events.createIndex('by-domain-ts', ['domain', 'ts']);
    events.createIndex('by-item', 'itemId');
    const items = db.createObjectStore('items', { keyPath: ['catalog', 'id'] });
    items.createIndex('by-catalog-position', ['catalog', 'position']);
    db.createObjectStore('features', { keyPath: ['catalog', 'modality', 'encoder'] });
    db.createObjectStore('models', { keyPath: 'key' });
    // A failed request aborts the versionchange transaction, so open() rejects: nothing half-done.
    migrateConsentToV2(tx).catch(() => undefined);
  }
  if (oldVersion < 3 && target >= 3) {
    tx.objectStore('events').createIndex('by-id', 'id', { unique: true });
  }
}

/** v1 stored `{ key: 'consent', value: boolean }`. */
function migrateConsentToV2(tx: UpgradeTx): Promise<void> {
  const settings = tx.objectStore('settings');
  return migrateConsent(settings);
}

async function migrateConsent(
  settings: IDBPObjectStore<HafrecDB, StoreNames<HafrecDB>[], 'settings', 'versionchange'>,
): Promise<void> {
  const old = (await settings.get('consent')) as unknown as { value?: unknown } | undefined;
  if (old && typeof old.value === 'boolean') {
    await settings.put({ key: 'consent', granted: old.value, updatedAt: 0 });
  }
}

/** hafrec/store: every IndexedDB database of hafrec: the shopper's history (events, consent, retention, export, offline asset copies) and the embedding cache's vectors. */
export { openHistoryStore } from './history-store.ts';
export type { HistoryStore, HistoryStoreOptions, HistoryQuery, HistoryExport, TrackOutcome } from './history-store.ts';
export type { AssetCache, FileCopy } from './asset-cache.ts';
export { EVENT_TYPES, validateEvent } from './event.ts';
export type { EventType, EventInput, EventProps, HistoryEvent } from './event.ts';
export { DEFAULT_RETENTION } from './retention.ts';
export type { RetentionPolicy } from './retention.ts';
export type { StoreChange } from './change-channel.ts';
export { DEFAULT_DB_NAME } from './schema.ts';
export type { HafrecDB } from './schema.ts';
export { deleteHafrecDb } from './open-db.ts';
export { openEmbeddingStore } from './embedding-store.ts';
export type { EmbeddingStore, EmbeddingStoreOptions } from './embedding-store.ts';
export { EMBEDDING_DB_NAME } from './embedding-schema.ts';
export type { StoredVector, EmbeddingDB } from './embedding-schema.ts';
export { StoreError, InvalidEventError, StorageFullError, StoreCorruptError, StoreBlockedError, StoreVersionError, StoreUnavailableError, InvalidConsentError } from './errors.ts';
export { historySequence, MAX_HISTORY, EVENTS_PER_HISTORY } from './history-sequence.ts';
export type { HistorySequence } from './history-sequence.ts';

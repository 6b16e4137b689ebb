import type { IDBPDatabase } from 'idb';
import { DEFAULT_DB_NAME, CACHE_STORES, type HafrecDB, type ConsentSetting } from './schema.ts';
import { validateEvent, type HistoryEvent } from './event.ts';
import { newEventId } from './event-id.ts';
import { openHafrecDb } from './open-db.ts';
import { pruneEvents, validateRetention, type RetentionPolicy } from './retention.ts';
import { ChangeChannel, type ChangeListener } from './change-channel.ts';
import { runInTransaction } from './transaction.ts';
import { addEvents, type AddOutcome } from './add-events.ts';
import { bindAssetCache, type AssetCache } from './asset-cache.ts';
import { InvalidConsentError, InvalidEventError, StorageFullError, StoreError, isQuotaError } from './errors.ts';

export interface HistoryStoreOptions {
  /** IndexedDB database name (default "hafrec"). */
  readonly name?: string;
  /**
   * The database's retention policy (defaults filled in). Required: opening prunes, so every
   * opener of a database (the tag and its worker alike) must pass the same policy.
   */
  readonly retention: Partial<RetentionPolicy>;
  /** Consent assumed until the shopper or the page decides (default true: data never leaves the device). */
  readonly defaultConsent?: boolean;
  /** Tell other tabs about changes (default true). */
  readonly broadcast?: boolean;
  readonly blockedTimeoutMs?: number;
  readonly now?: () => number;
}

export interface HistoryQuery {
  /** Only events of this domain. */
  readonly domain?: string;
  /** Only the most recent `limit` events. */
  readonly limit?: number;
}

/** What exportHistory() returns: everything hafrec stores about the shopper. */
export interface HistoryExport {
  readonly format: 'hafrec-history';
  readonly version: 1;
  readonly database: string;
  readonly exportedAt: string;
  readonly consent: { readonly granted: boolean; readonly updatedAt: number | null };
  readonly retention: RetentionPolicy;
  readonly events: readonly HistoryEvent[];
}

export interface HistoryStore {
  readonly name: string;
  readonly retention: RetentionPolicy;
  /**
   * Validates and stores one event; resolves undefined (storing nothing) without consent. An
   * event with an `id` already stored is not stored again: the stored one is resolved.
   */
  track(input: unknown): Promise<HistoryEvent | undefined>;
  /**
   * track() for many events in few transactions (at most WRITE_BATCH events each),
   * in order; per input, the outcome track() would resolve, or the StoreError it would throw.
   */
  trackMany(inputs: readonly unknown[]): Promise<TrackOutcome[]>;
  /** Events oldest first. */
  events(query?: HistoryQuery): Promise<HistoryEvent[]>;
  count(): Promise<number>;
  consent(): Promise<boolean>;
  /** false also deletes every stored event and cache. */
  setConsent(granted: boolean): Promise<void>;
  exportHistory(): Promise<HistoryExport>;
  /** Deletes every event and cache; a consent decision is kept. */
  forget(): Promise<void>;
  /** Applies the retention policy now; returns how many events were deleted. */
  prune(): Promise<number>;
  onChange(listener: ChangeListener): () => void;
  /**
   * The offline copies of the shop's catalog and model files kept in this database (dropped
   * with the other caches by forget(), setConsent(false) and a full disk). Whether to save
   * a copy (consent) is the caller's decision.
   */
  assets(): AssetCache;
  close(): void;
}

export type TrackOutcome = HistoryEvent | undefined | StoreError;

/** Events written per transaction at most: each transaction stays a few ms long. */
export const WRITE_BATCH = 100;

/** Opens the shopper's history store, applying the retention policy once (in short batches). */
export async function openHistoryStore(options: HistoryStoreOptions): Promise<HistoryStore> {
  const store = new IdbHistoryStore(options);
  await store.prune();
  return store;
}

class IdbHistoryStore implements HistoryStore {
  readonly name: string;
  readonly retention: RetentionPolicy;
  private readonly now: () => number;
  private readonly channel: ChangeChannel | undefined;
  private readonly listeners = new Set<ChangeListener>();
  private connection: Promise<IDBPDatabase<HafrecDB>> | undefined;

  constructor(private readonly options: HistoryStoreOptions) {
    this.name = options.name ?? DEFAULT_DB_NAME;
    this.retention = validateRetention(options.retention);
    this.now = options.now ?? Date.now;
    this.channel = options.broadcast === false ? undefined : new ChangeChannel(this.name);
  }

  assets(): AssetCache {
    return bindAssetCache(() => this.#connect(), this.now);
  }

  /**
   * The open connection, reopened when another tab upgraded or the browser closed it. An ES
   * private method: not even a cast reaches the raw database from outside the store.
   */
  #connect(): Promise<IDBPDatabase<HafrecDB>> {
    this.connection ??= openHafrecDb(this.name, {
      ...(this.options.blockedTimeoutMs === undefined ? {} : { blockedTimeoutMs: this.options.blockedTimeoutMs }),
      onClose: () => {
        this.connection = undefined;
      },
    });
    const opening = this.connection;
    opening.catch(() => {
      if (this.connection === opening) this.connection = undefined;
    });
    return opening;
  }

  async track(input: unknown): Promise<HistoryEvent | undefined> {
    const [outcome] = await this.trackMany([input]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  async trackMany(inputs: readonly unknown[]): Promise<TrackOutcome[]> {
    const now = this.now();
    const outcomes: TrackOutcome[] = [];
    const valid: { event: HistoryEvent; at: number }[] = [];
    inputs.forEach((input, at) => {
      try {
        valid.push({ event: this.prepare(input, now), at });
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        outcomes[at] = error;
      }
    });
    for (let start = 0; start < valid.length; start += WRITE_BATCH) {
      const chunk = valid.slice(start, start + WRITE_BATCH);
      const results = await this.addChunk(chunk.map((v) => v.event));
      chunk.forEach((v, i) => (outcomes[v.at] = results[i]));
    }
    return Array.from({ length: inputs.length }, (_, i) => outcomes[i]);
  }

  /** A validated event with an id, within the age the policy keeps. */
  private prepare(input: unknown, now: number): HistoryEvent {
    const event = validateEvent(input, now);
    if (event.ts < now - this.retention.maxAgeMs) {
      const days = Math.round(this.retention.maxAgeMs / 86_400_000);
      throw new InvalidEventError('ts', `is older than the ${days} days this browser keeps (retention maxAgeMs, data-max-age-days); nothing was stored`);
    }
    return event.id === undefined ? { id: newEventId(), ...event } : event;
  }

  private async addChunk(events: readonly HistoryEvent[]): Promise<readonly (AddOutcome | StoreError)[]> {
    const what = events.length === 1 ? `a "${events[0]!.type}" event` : `${events.length} events`;
    const options = { defaultConsent: this.options.defaultConsent ?? true, maxEvents: this.retention.maxEvents };
    try {
      const result = await this.writeWithQuotaRetry(what, (db) => addEvents(db, events, options));
      for (const e of result.added) this.publish({ kind: 'event', domain: e.domain, itemId: e.itemId });
      if (result.overLimit) void this.prune().catch(() => undefined);
      return result.outcomes;
    } catch (error) {
      if (error instanceof StorageFullError) return events.map(() => error);
      throw error;
    }
  }

  /**
   * Runs a write; on QuotaExceededError (thrown by a request or reported as the transaction's
   * abort) prunes to the policy, drops re-downloadable caches and retries once. Fails with
   * StorageFullError when the retry fails too; the failed transactions changed nothing.
   */
  private async writeWithQuotaRetry<T>(what: string, write: (db: IDBPDatabase<HafrecDB>) => Promise<T>): Promise<T> {
    const db = await this.#connect();
    try {
      return await write(db);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
    try {
      await this.freeSpace(db);
      return await write(db);
    } catch (error) {
      throw isQuotaError(error) ? new StorageFullError(what, error) : error;
    }
  }

  /** Quota reached: apply the policy and drop re-downloadable caches; user events within policy stay. */
  private async freeSpace(db: IDBPDatabase<HafrecDB>): Promise<void> {
    const deleted = await pruneEvents(db, this.retention, this.now());
    const tx = db.transaction([...CACHE_STORES], 'readwrite');
    await runInTransaction(tx.done, () => Promise.all(CACHE_STORES.map((name) => tx.objectStore(name).clear())));
    if (deleted > 0) this.publish({ kind: 'pruned', deleted });
  }

  async events(query: HistoryQuery = {}): Promise<HistoryEvent[]> {
    const db = await this.#connect();
    const tx = db.transaction('events');
    const range = query.domain === undefined ? null : IDBKeyRange.bound([query.domain, 0], [query.domain, Infinity]);
    const index = query.domain === undefined ? tx.store.index('by-ts') : tx.store.index('by-domain-ts');
    const limit = query.limit ?? Infinity;
    const newestFirst: HistoryEvent[] = [];
    let cursor = await index.openCursor(range, 'prev');
    while (cursor && newestFirst.length < limit) {
      newestFirst.push(cursor.value);
      cursor = await cursor.continue();
    }
    await tx.done;
    return newestFirst.reverse();
  }

  async count(): Promise<number> {
    return (await this.#connect()).count('events');
  }

  async consent(): Promise<boolean> {
    const record = await (await this.#connect()).get('settings', 'consent');
    return record?.granted ?? this.options.defaultConsent ?? true;
  }

  async setConsent(granted: boolean): Promise<void> {
    if (typeof granted !== 'boolean') throw new InvalidConsentError(granted);
    const record: ConsentSetting = { key: 'consent', granted, updatedAt: this.now() };
    await this.writeWithQuotaRetry('the consent decision', (db) => {
      const tx = db.transaction(['settings', 'events', ...CACHE_STORES], 'readwrite');
      return runInTransaction(tx.done, () => {
        const writes: Promise<unknown>[] = [tx.objectStore('settings').put(record)];
        if (!granted) writes.push(tx.objectStore('events').clear(), ...CACHE_STORES.map((s) => tx.objectStore(s).clear()));
        return Promise.all(writes);
      });
    });
    this.publish({ kind: 'consent', granted });
  }

  async exportHistory(): Promise<HistoryExport> {
    const db = await this.#connect();
    const [record, events] = await Promise.all([db.get('settings', 'consent'), this.events()]);
    return {
      format: 'hafrec-history',
      version: 1,
      database: this.name,
      exportedAt: new Date(this.now()).toISOString(),
      consent: { granted: record?.granted ?? this.options.defaultConsent ?? true, updatedAt: record?.updatedAt ?? null },
      retention: this.retention,
      events,
    };
  }

  async forget(): Promise<void> {
    const db = await this.#connect();
    const tx = db.transaction(['events', ...CACHE_STORES], 'readwrite');
    await runInTransaction(tx.done, () =>
      Promise.all([tx.objectStore('events').clear(), ...CACHE_STORES.map((s) => tx.objectStore(s).clear())]),
    );
    this.publish({ kind: 'cleared' });
  }

  async prune(): Promise<number> {
    const deleted = await pruneEvents(await this.#connect(), this.retention, this.now());
    if (deleted > 0) this.publish({ kind: 'pruned', deleted });
    return deleted;
  }

  onChange(listener: ChangeListener): () => void {
    if (this.channel) return this.channel.subscribe(listener);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
    this.listeners.clear();
    const connection = this.connection;
    this.connection = undefined;
    void connection?.then((db) => db.close(), () => undefined);
  }

  private publish(change: Parameters<ChangeListener>[0]): void {
    if (this.channel) this.channel.publish(change);
    else for (const listener of this.listeners) listener(change);
  }
}

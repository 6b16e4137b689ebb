import type { IDBPDatabase } from 'idb';
import { DEFAULT_DB_NAME, CACHE_STORES, type HafrecDB, type ConsentSetting } from './schema.ts';
import { validateEvent, type HistoryEvent } from './event.ts';
import { openHafrecDb } from './open-db.ts';
import { pruneEvents, validateRetention, type RetentionPolicy } from './retention.ts';
import { ChangeChannel, type ChangeListener } from './change-channel.ts';
import { runInTransaction } from './transaction.ts';
import { StorageFullError, StoreError, isQuotaError } from './errors.ts';

export interface HistoryStoreOptions {
  /** IndexedDB database name (default "hafrec"). */
  readonly name?: string;
  readonly retention?: Partial<RetentionPolicy>;
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
  /** Validates and stores one event; resolves undefined (storing nothing) without consent. */
  track(input: unknown): Promise<HistoryEvent | undefined>;
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
  /** The open connection (reopened if another tab upgraded), for the asset cache. */
  db(): Promise<IDBPDatabase<HafrecDB>>;
  close(): void;
}

/** Opens the shopper's history store, applying the retention policy once. */
export async function openHistoryStore(options: HistoryStoreOptions = {}): Promise<HistoryStore> {
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

  db(): Promise<IDBPDatabase<HafrecDB>> {
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
    const event = validateEvent(input, this.now());
    const stored = await this.writeWithQuotaRetry(`a "${event.type}" event`, (db) => this.add(db, event));
    if (stored) this.publish({ kind: 'event', domain: stored.domain, itemId: stored.itemId });
    return stored;
  }

  /**
   * Runs a write; on QuotaExceededError (thrown by a request or reported as the transaction's
   * abort) prunes to the policy, drops re-downloadable caches and retries once. Fails with
   * StorageFullError when the retry fails too; the failed transactions changed nothing.
   */
  private async writeWithQuotaRetry<T>(what: string, write: (db: IDBPDatabase<HafrecDB>) => Promise<T>): Promise<T> {
    const db = await this.db();
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

  /** One transaction: checks consent, adds, trims to maxEvents (so concurrent tabs never lose events). */
  private add(db: IDBPDatabase<HafrecDB>, event: HistoryEvent): Promise<HistoryEvent | undefined> {
    const tx = db.transaction(['events', 'settings'], 'readwrite');
    return runInTransaction(tx.done, async () => {
      const consent = await tx.objectStore('settings').get('consent');
      if (!(consent?.granted ?? this.options.defaultConsent ?? true)) return undefined;
      const events = tx.objectStore('events');
      const seq = await events.add(event);
      let excess = (await events.count()) - this.retention.maxEvents;
      let cursor = excess > 0 ? await events.index('by-ts').openCursor() : null;
      while (cursor && excess > 0) {
        await cursor.delete();
        excess -= 1;
        cursor = await cursor.continue();
      }
      return { ...event, seq };
    });
  }

  /** Quota reached: apply the policy and drop re-downloadable caches; user events within policy stay. */
  private async freeSpace(db: IDBPDatabase<HafrecDB>): Promise<void> {
    const deleted = await pruneEvents(db, this.retention, this.now());
    const tx = db.transaction([...CACHE_STORES], 'readwrite');
    await runInTransaction(tx.done, () => Promise.all(CACHE_STORES.map((name) => tx.objectStore(name).clear())));
    if (deleted > 0) this.publish({ kind: 'pruned', deleted });
  }

  async events(query: HistoryQuery = {}): Promise<HistoryEvent[]> {
    const db = await this.db();
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
    return (await this.db()).count('events');
  }

  async consent(): Promise<boolean> {
    const record = await (await this.db()).get('settings', 'consent');
    return record?.granted ?? this.options.defaultConsent ?? true;
  }

  async setConsent(granted: boolean): Promise<void> {
    if (typeof granted !== 'boolean') throw new StoreError(`consent must be true or false (got ${JSON.stringify(granted)})`);
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
    const db = await this.db();
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
    const db = await this.db();
    const tx = db.transaction(['events', ...CACHE_STORES], 'readwrite');
    await runInTransaction(tx.done, () =>
      Promise.all([tx.objectStore('events').clear(), ...CACHE_STORES.map((s) => tx.objectStore(s).clear())]),
    );
    this.publish({ kind: 'cleared' });
  }

  async prune(): Promise<number> {
    const deleted = await pruneEvents(await this.db(), this.retention, this.now());
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

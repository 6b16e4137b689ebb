import { deleteDB, openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { DB_VERSION, STORE_NAMES, upgradeDatabase, type HafrecDB } from './schema.ts';
import { StoreBlockedError, StoreCorruptError, StoreUnavailableError, StoreVersionError } from './errors.ts';

export interface OpenDbOptions {
  /** Version to open; only tests pass anything but DB_VERSION. */
  readonly version?: number;
  /** How long to wait for other tabs to release an older version before failing. */
  readonly blockedTimeoutMs?: number;
  /** Called when another tab wants to upgrade (this connection is then closed) or the browser closed it. */
  readonly onClose?: () => void;
}

/** What src/store knows about one of its databases: its version, upgrade ladder and stores. */
export interface DbSpec<S extends DBSchema> {
  readonly version: number;
  /** Runs the ladder from `oldVersion` up to `target` inside the versionchange transaction. */
  upgrade(db: IDBPDatabase<S>, oldVersion: number, target: number, tx: IDBPTransaction<S, StoreNames<S>[], 'versionchange'>): void;
  /** The stores a database at `version` must have; one missing makes it a StoreCorruptError. */
  requiredStores(version: number): readonly StoreNames<S>[];
}

const HAFREC_SPEC: DbSpec<HafrecDB> = {
  version: DB_VERSION,
  upgrade: upgradeDatabase,
  requiredStores: (version) => STORE_NAMES.filter((store) => version >= minVersionOf(store)),
};

/** Opens (creating or upgrading) the hafrec database: see openStoreDb. */
export function openHafrecDb(name: string, options: OpenDbOptions = {}): Promise<IDBPDatabase<HafrecDB>> {
  return openStoreDb(name, HAFREC_SPEC, options);
}

/**
 * Opens (creating or upgrading) one of src/store's databases. Errors are typed: StoreVersionError
 * (written by newer code), StoreBlockedError (an old tab will not let go), StoreCorruptError,
 * StoreUnavailableError (no IndexedDB here). A database that fails to open is never deleted.
 */
export async function openStoreDb<S extends DBSchema>(name: string, spec: DbSpec<S>, options: OpenDbOptions = {}): Promise<IDBPDatabase<S>> {
  const version = options.version ?? spec.version;
  // Read through globalThis: this layer is also type-checked for Node, which has no IndexedDB.
  if ((globalThis as { indexedDB?: unknown }).indexedDB === undefined) throw new StoreUnavailableError(name, 'this browser context has no IndexedDB');
  let blockedAt: number | undefined;
  let timedOut = false;
  let upgradeError: unknown;
  // Some browsers throw from indexedDB.open() itself when storage is refused: make it a rejection.
  const opening = Promise.resolve().then(() => openDB<S>(name, version, {
    upgrade: (db, oldVersion, _newVersion, tx) => {
      // An aborted upgrade surfaces as open()'s rejection; its `done` must not be reported twice.
      tx.done.catch(() => undefined);
      try {
        spec.upgrade(db, oldVersion, version, tx);
      } catch (error) {
        upgradeError = error;
        tx.abort();
      }
    },
    blocked: (currentVersion) => {
      blockedAt = currentVersion;
    },
    // Let a newer tab upgrade instead of blocking it.
    blocking: (_current, _wanted, event) => {
      (event.target as unknown as { close(): void }).close();
      options.onClose?.();
    },
    terminated: () => options.onClose?.(),
  }));
  let db: IDBPDatabase<S> | undefined;
  try {
    db = await withBlockedTimeout(opening, options.blockedTimeoutMs ?? 5000, () => {
      if (blockedAt === undefined) return undefined;
      timedOut = true;
      return new StoreBlockedError(name, blockedAt, version);
    });
  } catch (error) {
    if (timedOut) void opening.then((late) => late.close(), () => undefined);
    throw await classifyOpenError(name, version, upgradeError ?? error);
  }
  const missing = spec.requiredStores(version).filter((store) => !db!.objectStoreNames.contains(store));
  if (missing.length > 0) {
    db.close();
    throw new StoreCorruptError(name, `object store(s) ${missing.join(', ')} missing at version ${db.version}`);
  }
  return db;
}

function minVersionOf(store: (typeof STORE_NAMES)[number]): number {
  return store === 'events' || store === 'settings' ? 1 : 2;
}

/** Waits for `promise`; while it is pending, checks every 100 ms whether to give up. */
function withBlockedTimeout<T>(promise: Promise<T>, timeoutMs: number, giveUp: () => Error | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const error = Date.now() - started >= timeoutMs ? giveUp() : undefined;
      if (error) {
        clearInterval(timer);
        reject(error);
      }
    }, 100);
    promise.then(
      (value) => {
        clearInterval(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearInterval(timer);
        reject(error);
      },
    );
  });
}

/** Browsers refuse IndexedDB with these when storage is disabled for the site or the context. */
const UNAVAILABLE = new Set(['SecurityError', 'InvalidAccessError']);

async function classifyOpenError(name: string, version: number, error: unknown): Promise<Error> {
  if (error instanceof StoreBlockedError || error instanceof StoreCorruptError) return error;
  const errorName = (error as { name?: unknown } | null)?.name;
  if (typeof errorName === 'string' && UNAVAILABLE.has(errorName)) {
    return new StoreUnavailableError(name, `the browser refused IndexedDB (${errorName}: ${(error as Error).message})`, error);
  }
  if (errorName === 'NotFoundError') {
    return new StoreCorruptError(name, `the upgrade found a store missing (${(error as Error).message})`, error);
  }
  if (errorName === 'VersionError') {
    return new StoreVersionError(name, await currentVersion(name), version);
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StoreCorruptError(name, `opening failed (${message})`, error);
}

async function currentVersion(name: string): Promise<number> {
  try {
    const db = await openDB(name);
    const found = db.version;
    db.close();
    return found;
  } catch {
    return Number.NaN;
  }
}

/** Deletes a whole database of src/store (the way out of StoreCorruptError); waits for other tabs to close it. */
export async function deleteHafrecDb(name: string): Promise<void> {
  await deleteDB(name);
}

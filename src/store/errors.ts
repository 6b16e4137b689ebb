import { HafrecError } from '../errors/hafrec-error.ts';

/** Base of every store error: says what was wrong and what is valid. */
export class StoreError extends HafrecError {
  override readonly name: string = 'StoreError';
}

/** An event passed to track() is malformed; names the field and what is valid. */
export class InvalidEventError extends StoreError {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid event: "${field}" ${problem}`);
  }
}

/**
 * The browser refused to store more (QuotaExceededError) even after pruning by the
 * retention policy and dropping re-downloadable caches. Nothing already stored was lost.
 */
export class StorageFullError extends StoreError {
  override readonly name = 'StorageFullError';
  constructor(readonly what: string, override readonly cause?: unknown) {
    super(
      `storage is full: could not store ${what} even after pruning to the retention policy; ` +
        'free disk space, lower the retention limits, or call forget()',
    );
  }
}

/**
 * The database exists but is not one this code can use (missing or foreign stores, unreadable,
 * failed open). It is never deleted automatically: the shopper's data stays as it was.
 */
export class StoreCorruptError extends StoreError {
  override readonly name = 'StoreCorruptError';
  constructor(readonly database: string, readonly problem: string, override readonly cause?: unknown) {
    super(
      `database "${database}" is unusable: ${problem}; it was left as it is, nothing was deleted. ` +
        `To start over, delete it explicitly: deleteHafrecDb("${database}") from the library, or clear this site's data in the browser`,
    );
  }
}

/** IndexedDB cannot be used at all here (storage disabled, some private modes, sandboxed frames). */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  constructor(readonly database: string, readonly problem: string, override readonly cause?: unknown) {
    super(
      `database "${database}" cannot be opened: ${problem}; allow this site to store data ` +
        '(browser privacy settings, not a private window or sandboxed frame) and reload',
    );
  }
}

/** Another tab holds an older version of the database open and does not let it upgrade. */
export class StoreBlockedError extends StoreError {
  override readonly name = 'StoreBlockedError';
  constructor(readonly database: string, readonly currentVersion: number, readonly wantedVersion: number) {
    super(
      `database "${database}" is open at version ${currentVersion} in another tab, which blocks the upgrade ` +
        `to version ${wantedVersion}; close or reload the other tabs of this site`,
    );
  }
}

/** The database was written by a newer version of hafrec than this code. */
export class StoreVersionError extends StoreError {
  override readonly name = 'StoreVersionError';
  constructor(readonly database: string, readonly found: number, readonly supported: number) {
    super(
      `database "${database}" is at version ${found}, newer than this code supports (1..${supported}); ` +
        'reload the page to get the current script',
    );
  }
}

/** Names a DOMException-like error so that callers need not know browser error shapes. */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** consent() was given something other than true or false; nothing was changed. */
export class InvalidConsentError extends StoreError {
  override readonly name = 'InvalidConsentError';
  constructor(readonly value: unknown) {
    super(`consent must be true or false (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}); nothing was changed`);
  }
}

import { HafrecError } from '../errors/hafrec-error.ts';

/** Base of every catalog error: says what was wrong and what is valid. */
export class CatalogError extends HafrecError {
  override readonly name: string = 'CatalogError';
}

/** A row of a data file is malformed; names the file, the 1-based line and the problem. */
export class DataFormatError extends CatalogError {
  override readonly name = 'DataFormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}

export class UnknownItemError extends CatalogError {
  override readonly name = 'UnknownItemError';
  constructor(readonly itemId: string | number, size: number) {
    super(
      typeof itemId === 'number'
        ? `unknown item index ${itemId}: valid internal indices are 1..${size}`
        : `unknown item id "${itemId}": not in the catalog (${size} items)`,
    );
  }
}

export class UnknownDomainError extends CatalogError {
  override readonly name = 'UnknownDomainError';
  constructor(readonly domain: string, readonly valid: readonly string[]) {
    super(`unknown domain "${domain}": valid domains are ${valid.map((d) => `"${d}"`).join(', ')}`);
  }
}

/** The bytes of a data file do not match its pinned checksum. */
export class ChecksumError extends CatalogError {
  override readonly name = 'ChecksumError';
  constructor(readonly file: string, readonly expected: string, readonly actual: string) {
    super(`${file}: SHA-256 ${actual} does not match the pinned ${expected}`);
  }
}

/** A file a dataset needs does not exist; names the path and why it is needed. */
export class MissingFileError extends CatalogError {
  override readonly name = 'MissingFileError';
  constructor(readonly path: string, readonly why: string) {
    super(`${path} not found: ${why}`);
  }
}

/** A dataset file could not be fetched; names the URL and the HTTP status. */
export class DatasetFetchError extends CatalogError {
  override readonly name = 'DatasetFetchError';
  constructor(readonly url: string, readonly status: number) {
    super(`could not fetch ${url}: HTTP ${status}`);
  }
}

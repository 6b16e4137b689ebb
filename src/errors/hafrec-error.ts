/**
 * The root of every error hafrec throws. Each layer has one base class under it (CatalogError,
 * StoreError, ModelError, EmbeddingError, HafrecWorkerError, EmbedConfigError) and each error
 * says what was wrong and what is valid. `name` is a string literal on every class, so it
 * survives minification and worker hops; `code` is derived from it for programs to match on.
 */
export class HafrecError extends Error {
  override readonly name: string = 'HafrecError';

  /** Stable machine-readable code, e.g. "hafrec/storage-full" for StorageFullError. */
  get code(): string {
    return errorCode(this.name);
  }
}

/** "StorageFullError" -> "hafrec/storage-full". */
export function errorCode(name: string): string {
  const base = name.endsWith('Error') && name !== 'Error' ? name.slice(0, -'Error'.length) : name;
  return `hafrec/${base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

import { isQuotaError } from './errors.ts';

/**
 * Runs `work` inside a transaction and waits for its commit (`done`). Browsers report a full
 * disk two ways: synchronously from a request (`add` throws or its request fails), or
 * asynchronously as the transaction's abort, `tx.error` being a QuotaExceededError, often at
 * commit after every request succeeded. In the second case, requests made after the abort fail
 * with TransactionInactiveError or AbortError, which hide the cause: the transaction's own error
 * is thrown instead whenever it is a quota error, so callers handle both paths alike.
 */
export async function runInTransaction<T>(done: Promise<void>, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const ended = await done.then(
      () => undefined,
      (txError: unknown) => txError,
    );
    throw isQuotaError(ended) && !isQuotaError(error) ? ended : error;
  }
  await done;
  return result;
}

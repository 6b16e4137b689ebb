import type { HistoryEvent } from '../store/event.ts';
import { WRITE_BATCH, type HistoryStore, type TrackOutcome } from '../store/history-store.ts';

/**
 * The tag's commands, one after another (so ['consent', false] then ['track', ...] stores
 * nothing). Events tracked back to back, while earlier commands run or within one task, share
 * one trackMany() call (one transaction per WRITE_BATCH events): a burst of 10,000 synchronous
 * track() calls is 100 short transactions, not 10,000 queued ones.
 */
export interface CommandQueue {
  /** Runs `job` after every command queued before it. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Stores `event` after every command queued before it; resolves its outcome. */
  track(event: HistoryEvent): Promise<TrackOutcome>;
}

interface Batch {
  readonly events: HistoryEvent[];
  readonly waiters: { resolve: (outcome: TrackOutcome) => void; reject: (error: unknown) => void }[];
}

export function createCommandQueue(store: Pick<HistoryStore, 'trackMany'>): CommandQueue {
  let chain: Promise<unknown> = Promise.resolve();
  // The batch at the tail of the chain that has not started: later events may still join it.
  let open: Batch | undefined;
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const next = chain.then(job, job);
    chain = next.catch(() => undefined);
    return next;
  };
  const start = (): Batch => {
    const batch: Batch = { events: [], waiters: [] };
    open = batch;
    void enqueue(async () => {
      if (open === batch) open = undefined;
      try {
        const outcomes = await store.trackMany(batch.events);
        batch.waiters.forEach((waiter, i) => waiter.resolve(outcomes[i]));
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    });
    return batch;
  };
  return {
    run(job) {
      open = undefined;
      return enqueue(job);
    },
    track(event) {
      const batch = open && open.events.length < WRITE_BATCH ? open : start();
      return new Promise<TrackOutcome>((resolve, reject) => {
        batch.events.push(event);
        batch.waiters.push({ resolve, reject });
      });
    },
  };
}

import type { Catalog } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import type { HistoryStore } from '../store/history-store.ts';

/** What a recommend request is served from: the shopper's store, a catalog and the model loaded for them. */
export interface ServingSession {
  readonly store: Pick<HistoryStore, 'events'>;
  readonly catalog: Catalog;
  readonly recommender: Recommender;
  /** Base of relative item URLs and images. */
  readonly baseUrl: string;
  /** Where the model's arithmetic runs, when known. */
  readonly backend?: string;
}

/** Runs a task on a connection's serving session (a shop's, from the pool; the demo's, from its workbench). */
export type ServingSessions = <T>(task: (session: ServingSession) => Promise<T>) => Promise<T>;

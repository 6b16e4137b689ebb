import type { Recommendations } from './recommend-service.ts';
import type { RetentionPolicy } from '../store/retention.ts';
import type { JobProgress, WorkbenchRequest, WorkbenchResults } from './workbench/workbench-protocol.ts';
import type { EmbeddingRequest, EmbeddingResults } from './embedding/embedding-protocol.ts';
import type { EmbeddingProgress } from '../embedding/progress.ts';
import type { WholeDomainInfo, WholeDomainRequest } from './whole-domain-info.ts';

export { WHOLE_DOMAIN_REQUESTS, type WholeDomainInfo, type WholeDomainRequest } from './whole-domain-info.ts';

/** What the tag tells the worker once: where the store's assets are and which database to read. */
export interface WorkerConfig {
  readonly catalogUrl: string;
  readonly modelUrl: string;
  readonly featuresUrl?: string;
  readonly dbName: string;
  /** The page's retention policy: the worker opens the same database, and opening prunes. */
  readonly retention: Partial<RetentionPolicy>;
  /** Consent assumed until the shopper decides (false for data-consent="pending"). */
  readonly defaultConsent: boolean;
  /** data-clip: the CLIP checkpoint that embeds catalog items a CLIP bundle lacks (hub id or absolute folder URL). */
  readonly clip?: { readonly model: string; readonly revision?: string; readonly remoteHost?: string };
  /** data-whole-domain (default 'auto'). */
  readonly wholeDomain?: WholeDomainRequest;
}

export interface WorkerInfo {
  readonly items: number;
  readonly domains: readonly string[];
  readonly model: string;
  /** True when an asset came from the offline cache because the network failed. */
  readonly offline: boolean;
  /** True in a SharedWorker: the pages of this browser share one engine. */
  readonly shared: boolean;
  /** True when this page found its catalog and model already loaded (an earlier page loaded them). */
  readonly warm: boolean;
  /** A HAF bundle's whole-domain pass: what serves now (after a lost device too) and why. */
  readonly wholeDomain?: WholeDomainInfo;
}

/**
 * What a storefront asks the engine: its shop's store, catalog and model, then recommendations
 * from the stored history. The demo is a storefront too: it sends the same `recommend`, with
 * `insight` (the model's full account of the picks), and is served by its workbench's model.
 */
export type TagRequest =
  | { readonly kind: 'init'; readonly config: WorkerConfig }
  | { readonly kind: 'recommend'; readonly domain: string; readonly k: number; readonly insight?: boolean };

export interface TagResults {
  readonly init: WorkerInfo;
  readonly recommend: Recommendations;
}

/**
 * Everything a page may ask the one engine worker (src/engine/rpc.ts carries it): the tag's
 * requests, the workbench's (workbench/workbench-protocol.ts: the demo's dataset-backed jobs)
 * and the embedding requests (embedding/embedding-protocol.ts: CLIP on texts, images and
 * catalogs), the last two served by chunks the worker loads on the first of each.
 */
export type EngineRequest = TagRequest | WorkbenchRequest | EmbeddingRequest;

export type EngineResults = TagResults & WorkbenchResults & EmbeddingResults;

/** What a long job streams before its result: a workbench job its stages, an embedding request the embedding layer's events. */
export type EngineProgress = JobProgress | EmbeddingProgress;

/** The progress a request of kind K streams. */
export type ProgressOf<K extends EngineRequest['kind']> = K extends EmbeddingRequest['kind'] ? EmbeddingProgress : JobProgress;

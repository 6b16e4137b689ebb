import type { RecommendedItem } from './recommend-service.ts';
import type { RetentionPolicy } from '../store/retention.ts';

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
}

/** What a page asks the engine (src/engine/rpc.ts carries it). */
export type EngineRequest =
  | { readonly kind: 'init'; readonly config: WorkerConfig }
  | { readonly kind: 'recommend'; readonly domain: string; readonly k: number };

export interface EngineResults {
  readonly init: WorkerInfo;
  readonly recommend: RecommendedItem[];
}

import type { RetentionPolicy } from '../store/retention.ts';
import { EmbedConfigError } from './errors.ts';
import type { WorkerMode } from '../engine/hafrec-client.ts';
import { WHOLE_DOMAIN_REQUESTS, type WholeDomainRequest, type WorkerConfig } from '../engine/protocol.ts';

/** Everything the tag reads from its `data-*` attributes, URLs made absolute. */
export interface EmbedConfig {
  readonly catalogUrl: string;
  readonly modelUrl: string;
  readonly featuresUrl?: string;
  /** The domain of the page (default for track() and the widget). */
  readonly domain?: string;
  /** false when data-consent="pending": nothing is stored until consent(true). */
  readonly defaultConsent: boolean;
  readonly dbName: string;
  readonly workerUrl: string;
  readonly retention: Partial<RetentionPolicy>;
  /** data-preload: start the recommendation worker at once, before any widget asks (pages that add widgets later). */
  readonly preload?: boolean;
  /**
   * data-shared-worker (default "true"): one engine for all of the shop's pages, kept across
   * navigations; "false": a worker per page that reloads the catalog and model on every page.
   */
  readonly workerMode: WorkerMode;
  /** data-clip (+ data-clip-revision, data-clip-host): the CLIP checkpoint for new items of a CLIP bundle. */
  readonly clip?: WorkerConfig['clip'];
  /** data-whole-domain (auto | fused | simd, default auto): which pass scores a HAF bundle's whole domains. */
  readonly wholeDomain?: WholeDomainRequest;
}


/** The tag's own <script> element: currentScript while it runs, else the one with data-catalog. */
export function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-catalog][data-model]');
}

export function readConfig(script: HTMLScriptElement): EmbedConfig {
  const data = script.dataset;
  const base = document.baseURI;
  const url = (attribute: string, value: string | undefined, required: boolean): string | undefined => {
    if (!value) {
      if (required) throw new EmbedConfigError(`data-${attribute}`, 'is required (a URL on this site)');
      return undefined;
    }
    return new URL(value, base).href;
  };
  const consent = data.consent ?? 'granted';
  if (consent !== 'granted' && consent !== 'pending') {
    throw new EmbedConfigError('data-consent', `must be "granted" or "pending" (got "${consent}")`);
  }
  const wholeDomain = data.wholeDomain;
  if (wholeDomain !== undefined && !(WHOLE_DOMAIN_REQUESTS as readonly string[]).includes(wholeDomain)) {
    throw new EmbedConfigError('data-whole-domain', `must be one of ${WHOLE_DOMAIN_REQUESTS.join(', ')} (got "${wholeDomain}")`);
  }
  const featuresUrl = url('features', data.features, false);
  const shared = data.sharedWorker ?? 'true';
  if (shared !== 'true' && shared !== 'false') {
    throw new EmbedConfigError('data-shared-worker', `must be "true" or "false" (got "${shared}")`);
  }
  return {
    catalogUrl: url('catalog', data.catalog, true)!,
    modelUrl: url('model', data.model, true)!,
    ...(featuresUrl ? { featuresUrl } : {}),
    ...(data.domain ? { domain: data.domain } : {}),
    defaultConsent: consent === 'granted',
    dbName: data.db || 'hafrec',
    ...clipConfig(data, base),
    ...(wholeDomain ? { wholeDomain: wholeDomain as WholeDomainRequest } : {}),
    ...(data.preload !== undefined && data.preload !== 'false' ? { preload: true } : {}),
    workerUrl: new URL(data.worker || 'embed-worker.js', script.src || base).href,
    workerMode: shared === 'true' ? 'shared' : 'dedicated',
    retention: {
      ...(data.maxEvents ? { maxEvents: positive('data-max-events', data.maxEvents) } : {}),
      ...(data.maxAgeDays ? { maxAgeMs: positive('data-max-age-days', data.maxAgeDays) * 86_400_000 } : {}),
    },
  };
}

/**
 * A hub id stays as written; a folder ("/models/clip", "../clip", "https://...") becomes an
 * absolute URL here, since the worker that loads it lives at another URL than the page.
 */
export function clipConfig(data: DOMStringMap, base: string): { clip?: WorkerConfig['clip'] } {
  const model = data.clip?.trim();
  if (!model) return {};
  const folder = /^(\.{0,2}\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(model);
  if (!folder && !/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(model)) {
    throw new EmbedConfigError('data-clip', `must be a CLIP model id ("owner/name") or a folder URL ("/models/clip"); got "${model}"`);
  }
  return {
    clip: {
      model: folder ? new URL(model, base).href : model,
      ...(data.clipRevision ? { revision: data.clipRevision } : {}),
      ...(data.clipHost ? { remoteHost: new URL(data.clipHost, base).href } : {}),
    },
  };
}

function positive(attribute: string, value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new EmbedConfigError(attribute, `must be a positive number (got "${value}")`);
  return n;
}

import type { Catalog } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import type { AssetCache } from '../store/asset-cache.ts';
import { openHistoryStore, type HistoryStore } from '../store/history-store.ts';
import { currentVersion, loadCatalog, loadModelManifest } from './asset-loader.ts';
import { cachingFetch } from './cached-fetch.ts';
import { loadModel } from './model-registry.ts';
import type { WorkerConfig, WorkerInfo } from './protocol.ts';

/**
 * What the recommendation worker has loaded for one tag configuration: the shopper's store,
 * the shop's catalog and a model. A shared worker keeps sessions across page views, so a
 * warm visit reuses them; each new page revalidates the catalog and model manifest in the
 * background and a changed one builds a new session that replaces the old once ready.
 */
export interface Session {
  readonly config: WorkerConfig;
  readonly store: HistoryStore;
  readonly catalog: Catalog;
  readonly recommender: Recommender;
  readonly info: Omit<WorkerInfo, 'warm' | 'shared'>;
  /** Where offline copies go; `save` follows the shopper's consent, read again per request. */
  readonly cache: { readonly assets: AssetCache; save: boolean };
  readonly versions: { readonly catalog?: string; readonly model?: string };
  /** Whether it loaded with consent, so that its files have offline copies. */
  readonly copies: boolean;
}

export interface SessionUse<T> {
  readonly value: T;
  /** True when the session already existed (a warm page view). */
  readonly warm: boolean;
}

async function startSession(config: WorkerConfig, fetchImpl: typeof fetch): Promise<Session> {
  const store = await openHistoryStore({
    name: config.dbName,
    broadcast: false,
    retention: config.retention,
    defaultConsent: config.defaultConsent,
  });
  const cache = { assets: store.assets(), save: await store.consent() };
  const [catalog, manifest] = await Promise.all([
    loadCatalog(config.catalogUrl, cache, fetchImpl),
    loadModelManifest(config.modelUrl, cache, fetchImpl),
  ]);
  const recommender = await loadModel({
    manifest: manifest.value,
    catalog: catalog.value,
    url: config.modelUrl,
    ...(config.featuresUrl ? { featuresUrl: config.featuresUrl } : {}),
    // Files the model reads (a haf bundle's prior and weights) are cached for offline use too.
    fetch: cachingFetch(cache, fetchImpl),
    ...(config.clip ? { clip: { ...config.clip, imageBase: config.catalogUrl, cache: cache.save } } : {}),
    ...(config.wholeDomain ? { wholeDomain: config.wholeDomain } : {}),
  });
  const info = {
    items: catalog.value.size,
    domains: catalog.value.domains,
    model: recommender.name,
    offline: catalog.offline || manifest.offline,
  };
  const versions = { ...(catalog.version ? { catalog: catalog.version } : {}), ...(manifest.version ? { model: manifest.version } : {}) };
  return { config, store, catalog: catalog.value, recommender, info, cache, versions, copies: cache.save };
}

interface Entry {
  session: Promise<Session>;
  inFlight: number;
  retired: boolean;
  checking?: Promise<void>;
}

/** Sessions by configuration; one per tag setup the pages of this origin use. */
export class SessionPool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly fetchImpl: typeof fetch) {}

  /**
   * A page's session for `config`: the loaded one (warm), revalidated in the background, or a
   * new one. A session loaded before the shopper consented is loaded again (not warm), so that
   * the offline copies it could not keep then are written now. A failed start is forgotten,
   * so the next page retries.
   */
  async open(config: WorkerConfig): Promise<SessionUse<Session>> {
    const key = JSON.stringify(config);
    const existing = this.entries.get(key);
    const loaded = existing && (await existing.session.catch(() => undefined));
    if (!existing || !loaded) return { value: await (this.entries.get(key) ?? this.start(key, config)).session, warm: false };
    if (!loaded.copies && (await loaded.store.consent())) {
      const fresh = await this.replace(key, existing);
      if (fresh) return { value: fresh, warm: false };
    }
    void this.revalidate(key, existing);
    return { value: loaded, warm: true };
  }

  /** Runs `task` on the current session of `config`; a replaced session is disposed once its last task ends. */
  async use<T>(config: WorkerConfig, task: (session: Session) => Promise<T>): Promise<T> {
    const key = JSON.stringify(config);
    const entry = this.entries.get(key) ?? this.start(key, config);
    // Counted before the first await, so a replacement finishing meanwhile cannot dispose it under the task.
    entry.inFlight++;
    try {
      const session = await entry.session;
      session.cache.save = await session.store.consent();
      return await task(session);
    } finally {
      entry.inFlight--;
      if (entry.retired && entry.inFlight === 0) void entry.session.then(dispose, () => undefined);
    }
  }

  private start(key: string, config: WorkerConfig): Entry {
    const entry: Entry = { session: startSession(config, this.fetchImpl), inFlight: 0, retired: false };
    this.entries.set(key, entry);
    entry.session.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }

  private revalidate(key: string, entry: Entry): Promise<void> {
    entry.checking ??= this.check(key, entry).finally(() => (entry.checking = undefined));
    return entry.checking;
  }

  private async check(key: string, entry: Entry): Promise<void> {
    const old = await entry.session.catch(() => undefined);
    if (old && (await this.changed(old))) await this.replace(key, entry);
  }

  /** Loads the session of `entry` again; once ready (and if still current) it takes over. Until then, or if it fails, the old one serves. */
  private async replace(key: string, entry: Entry): Promise<Session | undefined> {
    const old = await entry.session;
    const next: Entry = { session: startSession(old.config, this.fetchImpl), inFlight: 0, retired: false };
    const fresh = await next.session.catch(() => undefined);
    if (!fresh || this.entries.get(key) !== entry) {
      if (fresh) dispose(fresh);
      return undefined;
    }
    this.entries.set(key, next);
    entry.retired = true;
    if (entry.inFlight === 0) dispose(old);
    return fresh;
  }

  private async changed(session: Session): Promise<boolean> {
    const [catalog, model] = await Promise.all([
      currentVersion(session.config.catalogUrl, this.fetchImpl),
      currentVersion(session.config.modelUrl, this.fetchImpl),
    ]);
    const differs = (now: string | undefined, then: string | undefined) => now !== undefined && now !== then;
    return differs(catalog, session.versions.catalog) || differs(model, session.versions.model);
  }
}

function dispose(session: Session): void {
  session.recommender.dispose();
  session.store.close();
}

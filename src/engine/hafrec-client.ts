import type { Recommendations, RecommendedItem } from './recommend-service.ts';
import { HafrecWorkerError, WorkerStartError } from './errors.ts';
import type { EngineProgress, EngineRequest, EngineResults, ProgressOf, TagRequest, WorkerConfig, WorkerInfo } from './protocol.ts';
import type { CallOptions } from './rpc.ts';
import { connectWorker, type WorkerConnection } from './worker-connection.ts';

/** How the page reaches the engine: a port of the shared worker, or its own dedicated worker. */
type Channel = WorkerConnection<EngineRequest, EngineResults, EngineProgress>;

/** `shared`: one engine for every page of the shop where SharedWorker exists (else dedicated); `dedicated`: one per page. */
export type WorkerMode = 'shared' | 'dedicated';

/**
 * Where the engine comes from: the URL of embed-worker.js (the tag), or a function that starts
 * it (the demo: bundlers find a worker by the literal `new Worker(new URL(...))` at its call site).
 */
export type EngineSource = string | (() => Worker);

/** The requests `call` sends: the workbench's and the embedding ones (the tag's have their own methods). */
type JobRequest = Exclude<EngineRequest, TagRequest>;

/**
 * Chromium's `extendedLifetime` (shipped 2026) keeps a shared worker alive after its last page
 * unloads, so the next page of the shop finds the model loaded. Other browsers ignore it.
 */
type SharedWorkerOptions = WorkerOptions & { extendedLifetime?: boolean };

/**
 * Main-thread side of the one engine worker, for the tag and the demo alike. The worker starts
 * on the first request, so a page that only tracks events never downloads the model code.
 */
export class HafrecWorkerClient {
  private worker: Channel | undefined;
  private ready: Promise<WorkerInfo> | undefined;

  constructor(
    private readonly source: EngineSource,
    /** The shop's assets; absent for the demo, whose model is its workbench's (opened by `openDataset`). */
    private readonly config?: WorkerConfig,
    private readonly mode: WorkerMode = 'dedicated',
    /** Names the shared worker: pages of another tag release never talk to this one's engine. */
    private readonly name = 'hafrec',
  ) {}

  /** Loads catalog and model in the worker (once); resolves with what was loaded. */
  init(): Promise<WorkerInfo> {
    const config = this.config;
    if (!config) return Promise.reject(new HafrecWorkerError('this client has no shop configuration to load (the demo opens a dataset instead)'));
    this.ready ??= this.spawn().rpc.call({ kind: 'init', config });
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  async recommend(domain: string, k: number): Promise<RecommendedItem[]> {
    return (await this.recommendations(domain, k)).items;
  }

  /** The picks with what served them; `insight`: also the model's full account of them (the demo's pages). */
  async recommendations(domain: string, k: number, options: { readonly insight?: boolean } = {}): Promise<Recommendations> {
    if (this.config) await this.init();
    return this.spawn().rpc.call({ kind: 'recommend', domain, k, ...(options.insight ? { insight: true } : {}) });
  }

  /**
   * The workbench requests (the demo's dataset, ranks, evaluation, training) and the embedding
   * ones (embedding-client.ts), over the same connection, with progress and cancel.
   */
  call<K extends JobRequest['kind']>(request: Extract<JobRequest, { kind: K }>, options?: CallOptions<ProgressOf<K>>): Promise<EngineResults[K]> {
    // The request's kind picks its progress type; the channel carries their union.
    return this.spawn().rpc.call(request, options as CallOptions<EngineProgress> | undefined);
  }

  /** Stops this page's worker, or leaves the shared one (other pages may still use it). */
  terminate(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    worker?.close();
    worker?.rpc.failAll(new HafrecWorkerError('the engine worker was stopped'));
  }

  private start(): Worker | SharedWorker {
    if (typeof this.source === 'function') return this.source();
    const shared: SharedWorkerOptions = { type: 'module', name: this.name, extendedLifetime: true };
    return this.mode === 'shared' && typeof SharedWorker === 'function'
      ? new SharedWorker(this.source, shared)
      : new Worker(this.source, { type: 'module', name: this.name });
  }

  private failure(detail: string): WorkerStartError {
    return typeof this.source === 'function'
      ? new WorkerStartError(this.name, detail, 'reload the page; it needs module workers')
      : new WorkerStartError(this.source, detail, 'it must be served from the same origin next to embed.js');
  }

  private spawn(): Channel {
    if (this.worker) return this.worker;
    const channel: Channel = connectWorker<EngineRequest, EngineResults, EngineProgress>(
      this.start(),
      (detail) => this.failure(detail),
      (event) => {
        // The demo's worker holds the dataset it opened: it stays, and only the calls in flight fail.
        if (typeof this.source === 'function') return;
        // The failure reaches the page as a typed error; the next request starts a new worker.
        event.preventDefault();
        channel.close();
        if (this.worker === channel) this.worker = undefined;
        this.ready = undefined;
      },
    );
    this.worker = channel;
    return channel;
  }
}

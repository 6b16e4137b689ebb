import type { RecommendedItem } from './recommend-service.ts';
import { HafrecWorkerError, WorkerStartError } from './errors.ts';
import type { TagRequest, TagResults, WorkerConfig, WorkerInfo } from './protocol.ts';
import { connectWorker, type WorkerConnection } from './worker-connection.ts';

/** How the page reaches the engine: a port of the shared worker, or its own dedicated worker. */
type Channel = WorkerConnection<TagRequest, TagResults, never>;

/** `shared`: one engine for every page of the shop where SharedWorker exists (else dedicated); `dedicated`: one per page. */
export type WorkerMode = 'shared' | 'dedicated';

/**
 * Chromium's `extendedLifetime` (shipped 2026) keeps a shared worker alive after its last page
 * unloads, so the next page of the shop finds the model loaded. Other browsers ignore it.
 */
type SharedWorkerOptions = WorkerOptions & { extendedLifetime?: boolean };

/**
 * Main-thread side of the recommendation worker. The worker starts on the first request,
 * so a page that only tracks events never downloads the model code.
 */
export class HafrecWorkerClient {
  private worker: Channel | undefined;
  private ready: Promise<WorkerInfo> | undefined;

  constructor(
    private readonly workerUrl: string,
    private readonly config: WorkerConfig,
    private readonly mode: WorkerMode = 'dedicated',
    /** Names the shared worker: pages of another tag release never talk to this one's engine. */
    private readonly name = 'hafrec',
  ) {}

  /** Loads catalog and model in the worker (once); resolves with what was loaded. */
  init(): Promise<WorkerInfo> {
    this.ready ??= this.spawn().rpc.call({ kind: 'init', config: this.config });
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  async recommend(domain: string, k: number): Promise<RecommendedItem[]> {
    await this.init();
    return this.spawn().rpc.call({ kind: 'recommend', domain, k });
  }

  /** Stops this page's worker, or leaves the shared one (other pages may still use it). */
  terminate(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    worker?.close();
    worker?.rpc.failAll(new HafrecWorkerError('the recommendation worker was stopped'));
  }

  private spawn(): Channel {
    if (this.worker) return this.worker;
    const shared: SharedWorkerOptions = { type: 'module', name: this.name, extendedLifetime: true };
    const worker =
      this.mode === 'shared' && typeof SharedWorker === 'function'
        ? new SharedWorker(this.workerUrl, shared)
        : new Worker(this.workerUrl, { type: 'module', name: this.name });
    const channel: Channel = connectWorker<TagRequest, TagResults, never>(
      worker,
      (detail) => new WorkerStartError(this.workerUrl, detail, 'it must be served from the same origin next to embed.js'),
      (event) => {
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

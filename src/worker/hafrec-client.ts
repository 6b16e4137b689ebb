import type { RecommendedItem } from './recommend-service.ts';
import { fromWire } from '../errors/wire.ts';
import { ERROR_CLASSES } from './error-classes.ts';
import { HafrecWorkerError, WorkerStartError } from './errors.ts';
import type { WorkerConfig, WorkerInfo, WorkerRequest, WorkerResponse } from './protocol.ts';

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };
type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** How the page reaches the engine: a port of the shared worker, or its own dedicated worker. */
interface Channel {
  post(request: WorkerRequest): void;
  close(): void;
}

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
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly workerUrl: string,
    private readonly config: WorkerConfig,
    private readonly mode: WorkerMode = 'dedicated',
    /** Names the shared worker: pages of another tag release never talk to this one's engine. */
    private readonly name = 'hafrec',
  ) {}

  /** Loads catalog and model in the worker (once); resolves with what was loaded. */
  init(): Promise<WorkerInfo> {
    this.ready ??= this.call<WorkerInfo>({ type: 'init', config: this.config });
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  async recommend(domain: string, k: number): Promise<RecommendedItem[]> {
    await this.init();
    return this.call<RecommendedItem[]>({ type: 'recommend', domain, k });
  }

  /** Stops this page's worker, or leaves the shared one (other pages may still use it). */
  terminate(): void {
    this.worker?.close();
    this.worker = undefined;
    this.ready = undefined;
    this.failAll(new HafrecWorkerError('the recommendation worker was stopped'));
  }

  private call<T>(body: Body): Promise<T> {
    const worker = this.spawn();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.post({ ...body, id } as WorkerRequest);
    });
  }

  private spawn(): Channel {
    if (this.worker) return this.worker;
    const onMessage = (message: MessageEvent<WorkerResponse>) => this.settle(message.data);
    let channel: Channel;
    if (this.mode === 'shared' && typeof SharedWorker === 'function') {
      const options: SharedWorkerOptions = { type: 'module', name: this.name, extendedLifetime: true };
      const worker = new SharedWorker(this.workerUrl, options);
      worker.port.onmessage = onMessage;
      worker.onerror = (event: Event) => this.failStart(event, channel);
      channel = { post: (request) => worker.port.postMessage(request), close: () => worker.port.close() };
    } else {
      const worker = new Worker(this.workerUrl, { type: 'module', name: this.name });
      worker.onmessage = onMessage;
      worker.onerror = (event: ErrorEvent) => this.failStart(event, channel);
      channel = { post: (request) => worker.postMessage(request), close: () => worker.terminate() };
    }
    this.worker = channel;
    return channel;
  }

  private settle(response: WorkerResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (response.ok) pending.resolve(response.result as never);
    else pending.reject(fromWire(response.error, ERROR_CLASSES));
  }

  /** The worker script could not be loaded or run. */
  private failStart(event: Event, channel: Channel): void {
    event.preventDefault();
    if (this.worker === channel) this.worker = undefined;
    this.ready = undefined;
    channel.close();
    const message = event instanceof ErrorEvent && event.message ? event.message : 'could not load it';
    this.failAll(new WorkerStartError(this.workerUrl, message, 'it must be served from the same origin next to embed.js'));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

import type { RecommendedItem } from './recommend-service.ts';
import { HafrecWorkerError, WorkerStartError } from './errors.ts';
import type { EngineRequest, EngineResults, WorkerConfig, WorkerInfo } from './protocol.ts';
import { createRpcClient, type RpcCall, type RpcClient, type RpcReply } from './rpc.ts';

/** How the page reaches the engine: a port of the shared worker, or its own dedicated worker. */
interface Channel {
  readonly rpc: RpcClient<EngineRequest, EngineResults, never>;
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
    let post: (call: RpcCall<EngineRequest>) => void;
    const rpc = createRpcClient<EngineRequest, EngineResults, never>((call) => post(call));
    const onMessage = (message: MessageEvent<RpcReply<never>>): void => rpc.receive(message.data);
    let channel: Channel;
    if (this.mode === 'shared' && typeof SharedWorker === 'function') {
      const options: SharedWorkerOptions = { type: 'module', name: this.name, extendedLifetime: true };
      const worker = new SharedWorker(this.workerUrl, options);
      worker.port.onmessage = onMessage;
      worker.onerror = (event: Event) => this.failStart(event, channel);
      post = (call) => worker.port.postMessage(call);
      channel = { rpc, close: () => worker.port.close() };
    } else {
      const worker = new Worker(this.workerUrl, { type: 'module', name: this.name });
      worker.onmessage = onMessage;
      worker.onerror = (event: ErrorEvent) => this.failStart(event, channel);
      post = (call) => worker.postMessage(call);
      channel = { rpc, close: () => worker.terminate() };
    }
    this.worker = channel;
    return channel;
  }

  /** The worker script could not be loaded or run. */
  private failStart(event: Event, channel: Channel): void {
    event.preventDefault();
    if (this.worker === channel) this.worker = undefined;
    this.ready = undefined;
    channel.close();
    const message = event instanceof ErrorEvent && event.message ? event.message : 'could not load it';
    channel.rpc.failAll(new WorkerStartError(this.workerUrl, message, 'it must be served from the same origin next to embed.js'));
  }
}

import type { RecommendedItem } from './recommend-service.ts';
import { fromWire } from '../errors/wire.ts';
import { ERROR_CLASSES } from './error-classes.ts';
import { HafrecWorkerError, WorkerStartError } from './errors.ts';
import type { WorkerConfig, WorkerInfo, WorkerRequest, WorkerResponse } from './protocol.ts';

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };
type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;


/**
 * Main-thread side of the recommendation worker. The worker starts on the first request,
 * so a page that only tracks events never downloads the model code.
 */
export class HafrecWorkerClient {
  private worker: Worker | undefined;
  private ready: Promise<WorkerInfo> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly workerUrl: string,
    private readonly config: WorkerConfig,
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

  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
    this.failAll(new HafrecWorkerError('the recommendation worker was stopped'));
  }

  private call<T>(body: Body): Promise<T> {
    const worker = this.spawn();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl, { type: 'module', name: 'hafrec' });
    worker.onmessage = (message: MessageEvent<WorkerResponse>) => {
      const response = message.data;
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (response.ok) pending.resolve(response.result as never);
      else pending.reject(fromWire(response.error, ERROR_CLASSES));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.worker = undefined;
      this.ready = undefined;
      worker.terminate();
      this.failAll(
        new WorkerStartError(this.workerUrl, event.message || 'could not load it', 'it must be served from the same origin next to embed.js'),
      );
    };
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

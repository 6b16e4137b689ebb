import { fromWire } from '../errors/wire.ts';
import { ERROR_CLASSES } from './error-classes.ts';
import { WorkerStartError } from './errors.ts';
import type { DemoProgress, DemoRequest, DemoResults, PageMessage, WorkerMessage } from './demo-protocol.ts';

type Kind = Exclude<DemoRequest['kind'], 'cancel'>;
type RequestOf<K extends Kind> = Extract<DemoRequest, { kind: K }>;


export interface CallOptions {
  readonly onProgress?: (progress: DemoProgress) => void;
  /** Aborting asks the worker to stop the job; the call then rejects with CancelledError. */
  readonly signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress: ((progress: DemoProgress) => void) | undefined;
}

/** Typed request/response client of the demo worker, with progress streams and cancel. */
export interface DemoClient {
  call<K extends Kind>(request: RequestOf<K>, options?: CallOptions): Promise<DemoResults[K]>;
  terminate(): void;
}

export function createDemoClient(worker: Worker): DemoClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    const entry = pending.get(message.id);
    if (!entry) return;
    if (message.type === 'progress') entry.onProgress?.(message.progress);
    else {
      pending.delete(message.id);
      if (message.type === 'result') entry.resolve(message.value);
      else entry.reject(fromWire(message.error, ERROR_CLASSES));
    }
  };
  worker.onerror = (event: ErrorEvent) => {
    const error = new WorkerStartError('demo-worker', event.message || 'could not start', 'reload the page; the demo needs module workers');
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  const send = (request: DemoRequest): number => {
    const id = nextId++;
    worker.postMessage({ id, request } satisfies PageMessage);
    return id;
  };
  return {
    call<K extends Kind>(request: RequestOf<K>, options: CallOptions = {}): Promise<DemoResults[K]> {
      return new Promise<DemoResults[K]>((resolve, reject) => {
        const id = send(request);
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress: options.onProgress });
        options.signal?.addEventListener('abort', () => send({ kind: 'cancel', target: id }), { once: true });
      });
    },
    terminate: () => worker.terminate(),
  };
}

/** Starts the demo worker (bundled by Vite as a module worker). */
export function startDemoWorker(): DemoClient {
  const worker = new Worker(new URL('./demo-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-demo' });
  return createDemoClient(worker);
}

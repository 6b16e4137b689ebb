import { WorkerStartError } from '../engine/errors.ts';
import type { CallOptions } from '../engine/rpc.ts';
import { connectWorker } from '../engine/worker-connection.ts';
import type { DemoProgress, DemoRequest, DemoResults } from './worker/demo-protocol.ts';

type Kind = DemoRequest['kind'];
type RequestOf<K extends Kind> = Extract<DemoRequest, { kind: K }>;

/** Typed request/response client of the demo worker, with progress streams and cancel (abort the signal). */
export interface DemoClient {
  call<K extends Kind>(request: RequestOf<K>, options?: CallOptions<DemoProgress>): Promise<DemoResults[K]>;
  terminate(): void;
}

export function createDemoClient(worker: Worker): DemoClient {
  const { rpc, close } = connectWorker<DemoRequest, DemoResults, DemoProgress>(
    worker,
    (detail) => new WorkerStartError('demo-worker', detail, 'reload the page; the demo needs module workers'),
  );
  return { call: (request, options) => rpc.call(request, options), terminate: close };
}

/** Starts the demo worker (bundled by Vite as a module worker). */
export function startDemoWorker(): DemoClient {
  const worker = new Worker(new URL('./worker/demo-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-demo' });
  return createDemoClient(worker);
}

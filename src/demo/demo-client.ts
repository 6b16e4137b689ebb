import { WorkerStartError } from '../engine/errors.ts';
import { createRpcClient, type CallOptions, type RpcReply } from '../engine/rpc.ts';
import type { DemoProgress, DemoRequest, DemoResults } from './worker/demo-protocol.ts';

type Kind = DemoRequest['kind'];
type RequestOf<K extends Kind> = Extract<DemoRequest, { kind: K }>;

/** Typed request/response client of the demo worker, with progress streams and cancel (abort the signal). */
export interface DemoClient {
  call<K extends Kind>(request: RequestOf<K>, options?: CallOptions<DemoProgress>): Promise<DemoResults[K]>;
  terminate(): void;
}

export function createDemoClient(worker: Worker): DemoClient {
  const rpc = createRpcClient<DemoRequest, DemoResults, DemoProgress>((call) => worker.postMessage(call));
  worker.onmessage = (event: MessageEvent<RpcReply<DemoProgress>>) => rpc.receive(event.data);
  worker.onerror = (event: ErrorEvent) =>
    rpc.failAll(new WorkerStartError('demo-worker', event.message || 'could not start', 'reload the page; the demo needs module workers'));
  return {
    call: (request, options) => rpc.call(request, options),
    terminate: () => worker.terminate(),
  };
}

/** Starts the demo worker (bundled by Vite as a module worker). */
export function startDemoWorker(): DemoClient {
  const worker = new Worker(new URL('./worker/demo-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-demo' });
  return createDemoClient(worker);
}

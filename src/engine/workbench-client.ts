import { WorkerStartError } from './errors.ts';
import type { EngineProgress } from './protocol.ts';
import type { CallOptions } from './rpc.ts';
import type { WorkbenchRequest, WorkbenchResults } from './workbench/workbench-protocol.ts';
import { connectWorker } from './worker-connection.ts';

type Kind = WorkbenchRequest['kind'];
type RequestOf<K extends Kind> = Extract<WorkbenchRequest, { kind: K }>;

/** The demo's client of the engine worker: its workbench requests, with progress streams and cancel (abort the signal). */
export interface WorkbenchClient {
  call<K extends Kind>(request: RequestOf<K>, options?: CallOptions<EngineProgress>): Promise<WorkbenchResults[K]>;
  terminate(): void;
}

export function createWorkbenchClient(worker: Worker): WorkbenchClient {
  const { rpc, close } = connectWorker<WorkbenchRequest, WorkbenchResults, EngineProgress>(
    worker,
    (detail) => new WorkerStartError('hafrec-worker', detail, 'reload the page; the demo needs module workers'),
  );
  return { call: (request, options) => rpc.call(request, options), terminate: close };
}

/** Starts the engine worker for the demo: dedicated (one page owns the dataset and its jobs), bundled by Vite as a module worker. */
export function startWorkbench(): WorkbenchClient {
  const worker = new Worker(new URL('./hafrec-worker.ts', import.meta.url), { type: 'module', name: 'hafrec-demo' });
  return createWorkbenchClient(worker);
}

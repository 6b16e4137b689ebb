import { createRpcClient, type RpcClient, type RpcReply, type RpcRequest } from './rpc.ts';

/** A page's end of a worker: the typed client and how to let go of the worker. */
export interface WorkerConnection<R extends RpcRequest, Results extends { readonly [K in R['kind']]: unknown }, P> {
  readonly rpc: RpcClient<R, Results, P>;
  /** Terminates a dedicated worker; leaves a shared one (other pages may still use it). */
  close(): void;
}

/**
 * Wires a started worker (dedicated, or a SharedWorker's port) to a typed client. When the
 * worker reports an error (its script cannot load, or it threw outside any call), every call
 * in flight rejects with `failure(detail)`, then `onFail(event)` runs: a caller that starts
 * workers again on demand closes this one there. The caller constructs the worker itself:
 * bundlers find workers by the literal `new Worker(new URL(...))` at the call site.
 */
export function connectWorker<R extends RpcRequest, Results extends { readonly [K in R['kind']]: unknown }, P>(
  worker: Worker | SharedWorker,
  failure: (detail: string) => Error,
  onFail: (event: Event) => void = () => undefined,
): WorkerConnection<R, Results, P> {
  const port = 'port' in worker ? worker.port : worker;
  const rpc = createRpcClient<R, Results, P>((call) => port.postMessage(call));
  port.onmessage = (event: MessageEvent<RpcReply<P>>) => rpc.receive(event.data);
  worker.onerror = (event: Event) => {
    const message = (event as Partial<ErrorEvent>).message;
    rpc.failAll(failure(typeof message === 'string' && message ? message : 'could not load it'));
    onFail(event);
  };
  return { rpc, close: () => ('port' in worker ? worker.port.close() : worker.terminate()) };
}

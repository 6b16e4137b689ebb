/**
 * The one request/response protocol of the engine worker (a shop's pages, the demo's, a page's
 * CLIP embedding requests all speak it): a page sends numbered calls, the worker answers each
 * with any number of progress messages and then exactly one result or error. Errors travel
 * as wire errors and are re-created on the page as the same typed errors, with their fields.
 * A call can be cancelled: the job sees it through its AbortSignal (and throws CancelledError
 * between steps, as the demo's evaluation does).
 */
import { fromWire, toWire, type WireError } from '../errors/wire.ts';
import { ERROR_CLASSES } from './error-classes.ts';

/** A request of a protocol: a union of objects told apart by `kind`. */
export interface RpcRequest {
  readonly kind: string;
}

/** Page to worker. */
export type RpcCall<R extends RpcRequest> =
  | { readonly id: number; readonly type: 'call'; readonly request: R }
  | { readonly id: number; readonly type: 'cancel' };

/** Worker to page. */
export type RpcReply<P> =
  | { readonly id: number; readonly type: 'progress'; readonly progress: P }
  | { readonly id: number; readonly type: 'result'; readonly value: unknown }
  | { readonly id: number; readonly type: 'error'; readonly error: WireError };

export interface CallOptions<P> {
  readonly onProgress?: (progress: P) => void;
  /** Aborting asks the worker to stop the job; the call then rejects with the job's error. */
  readonly signal?: AbortSignal;
}

/** A typed client over any message channel: `Results` maps each request kind to its answer. */
export interface RpcClient<R extends RpcRequest, Results extends { readonly [K in R['kind']]: unknown }, P> {
  call<K extends R['kind']>(request: Extract<R, { kind: K }>, options?: CallOptions<P>): Promise<Results[K]>;
  /** Feed every message the worker sends here. */
  receive(reply: RpcReply<P>): void;
  /** Rejects every call in flight (the worker died or was stopped). */
  failAll(error: Error): void;
  /** Calls waiting for an answer. */
  readonly inFlight: number;
}

interface Pending<P> {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress: ((progress: P) => void) | undefined;
}

export function createRpcClient<R extends RpcRequest, Results extends { readonly [K in R['kind']]: unknown }, P>(
  send: (call: RpcCall<R>) => void,
): RpcClient<R, Results, P> {
  let nextId = 1;
  const pending = new Map<number, Pending<P>>();
  return {
    call<K extends R['kind']>(request: Extract<R, { kind: K }>, options: CallOptions<P> = {}): Promise<Results[K]> {
      const id = nextId++;
      return new Promise<Results[K]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress: options.onProgress });
        send({ id, type: 'call', request });
        options.signal?.addEventListener('abort', () => pending.has(id) && send({ id, type: 'cancel' }), { once: true });
      });
    },
    receive(reply) {
      const entry = pending.get(reply.id);
      if (!entry) return;
      if (reply.type === 'progress') return entry.onProgress?.(reply.progress);
      pending.delete(reply.id);
      if (reply.type === 'result') entry.resolve(reply.value);
      else entry.reject(fromWire(reply.error, ERROR_CLASSES));
    },
    failAll(error) {
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    },
    get inFlight() {
      return pending.size;
    },
  };
}

/** What a job gets besides its request. */
export interface RpcJob<P> {
  progress(progress: P): void;
  /** Aborted when the page cancels the call. */
  readonly signal: AbortSignal;
  /** Buffers to move (not copy) to the page with the result. */
  transfer(buffers: readonly Transferable[]): void;
}

export interface RpcPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/**
 * The worker side: returns the function to call with each message of a page's port. Jobs run
 * concurrently unless `serial` (one at a time, in arrival order).
 */
export function serveRpc<R extends RpcRequest, P>(
  port: RpcPort,
  handle: (request: R, job: RpcJob<P>) => Promise<unknown>,
  options: { readonly serial?: boolean } = {},
): (call: RpcCall<R>) => void {
  const running = new Map<number, AbortController>();
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (id: number, request: R, controller: AbortController): Promise<void> => {
    let buffers: Transferable[] = [];
    const job: RpcJob<P> = {
      progress: (progress) => port.postMessage({ id, type: 'progress', progress } satisfies RpcReply<P>),
      signal: controller.signal,
      transfer: (list) => void (buffers = [...list]),
    };
    try {
      const value = await handle(request, job);
      port.postMessage({ id, type: 'result', value } satisfies RpcReply<P>, buffers);
    } catch (error) {
      port.postMessage({ id, type: 'error', error: toWire(error) } satisfies RpcReply<P>);
    } finally {
      running.delete(id);
    }
  };
  return (call) => {
    if (call.type === 'cancel') return void running.get(call.id)?.abort();
    const controller = new AbortController();
    running.set(call.id, controller);
    const job = (): Promise<void> => run(call.id, call.request, controller);
    if (options.serial) queue = queue.then(job);
    else void job();
  };
}

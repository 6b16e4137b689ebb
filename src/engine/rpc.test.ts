import { describe, expect, it } from 'vitest';
import { createRpcClient, serveRpc, type RpcCall, type RpcReply } from './rpc.ts';
import { AssetFetchError, CancelledError } from './errors.ts';

type Request = { readonly kind: 'add'; readonly a: number; readonly b: number } | { readonly kind: 'count'; readonly to: number } | { readonly kind: 'fail' };
interface Results {
  add: number;
  count: number;
  fail: never;
}

/** A page and a worker joined by two in-memory ports (structured clone is not needed for these values). */
function connect(options: { serial?: boolean } = {}) {
  const log: string[] = [];
  let toPage: (reply: RpcReply<number>) => void = () => undefined;
  const transfers: unknown[][] = [];
  const onCall = serveRpc<Request, number>(
    { postMessage: (message, transfer) => (transfers.push(transfer ?? []), queueMicrotask(() => toPage(message as RpcReply<number>))) },
    async (request, job) => {
      log.push(`start ${request.kind}`);
      if (request.kind === 'fail') throw new AssetFetchError('model', 'https://shop.example/model.json', 'HTTP 404');
      if (request.kind === 'add') {
        job.transfer([new ArrayBuffer(4)]);
        return request.a + request.b;
      }
      for (let i = 1; i <= request.to; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (job.signal.aborted) throw new CancelledError();
        job.progress(i);
      }
      log.push(`end ${request.kind}`);
      return request.to;
    },
    options,
  );
  const client = createRpcClient<Request, Results, number>((call: RpcCall<Request>) => queueMicrotask(() => onCall(call)));
  toPage = (reply) => client.receive(reply);
  return { client, log, transfers };
}

describe('rpc', () => {
  it('answers each call with its own result, progress first', async () => {
    const { client, transfers } = connect();
    const seen: number[] = [];
    const [sum, count] = await Promise.all([client.call({ kind: 'add', a: 2, b: 3 }), client.call({ kind: 'count', to: 3 }, { onProgress: (p) => seen.push(p) })]);
    expect(sum).toBe(5);
    expect(count).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(transfers.some((t) => t.length === 1 && t[0] instanceof ArrayBuffer)).toBe(true);
    expect(client.inFlight).toBe(0);
  });

  it('re-creates a typed error with its class and fields on the page side', async () => {
    const { client } = connect();
    const error = await client.call({ kind: 'fail' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetFetchError);
    expect(error).toMatchObject({ name: 'AssetFetchError', what: 'model', url: 'https://shop.example/model.json', detail: 'HTTP 404' });
  });

  it('a cancelled call rejects with CancelledError and stops its job', async () => {
    const { client, log } = connect();
    const controller = new AbortController();
    const running = client.call({ kind: 'count', to: 1000 }, { signal: controller.signal, onProgress: (p) => p === 2 && controller.abort() });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(['start count']);
  });

  it('serial jobs run one at a time in arrival order', async () => {
    const { client, log } = connect({ serial: true });
    await Promise.all([client.call({ kind: 'count', to: 2 }), client.call({ kind: 'add', a: 1, b: 1 })]);
    expect(log).toEqual(['start count', 'end count', 'start add']);
  });

  it('failAll rejects every call in flight', async () => {
    const { client } = connect();
    const call = client.call({ kind: 'count', to: 50 });
    client.failAll(new CancelledError());
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(client.inFlight).toBe(0);
  });
});

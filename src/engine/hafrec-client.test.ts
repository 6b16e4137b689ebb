import { describe, expect, it } from 'vitest';
import { SessionPool } from './engine-sessions.ts';
import { serveEngine } from './engine-serve.ts';
import { HafrecWorkerError } from './errors.ts';
import { HafrecWorkerClient } from './hafrec-client.ts';
import type { EngineRequest } from './protocol.ts';
import type { RpcCall } from './rpc.ts';

/** A started "worker" that runs the engine's serving function in this thread, counting starts. */
function engineSource(): { start: () => Worker; started: () => number } {
  const pool = new SessionPool(async () => new Response(null, { status: 404 }));
  let started = 0;
  const start = (): Worker => {
    started++;
    const worker = {
      onmessage: undefined as ((event: MessageEvent) => void) | undefined,
      onerror: undefined,
      postMessage: (call: RpcCall<EngineRequest>) => queueMicrotask(() => onCall(call)),
      terminate: () => undefined,
    };
    const onCall = serveEngine({ postMessage: (reply) => worker.onmessage?.({ data: reply } as MessageEvent) }, pool, false);
    return worker as unknown as Worker;
  };
  return { start, started: () => started };
}

describe('HafrecWorkerClient: the one client of the engine, for the tag and the demo', () => {
  it('a client started by a function (the demo) sends the tag\'s recommend and the workbench requests over one connection', async () => {
    const engine = engineSource();
    const client = new HafrecWorkerClient(engine.start, undefined, 'dedicated', 'hafrec-demo');
    await expect(client.recommendations('food', 3, { insight: true })).rejects.toThrow(/openDataset/);
    await expect(client.call({ kind: 'shopper', split: 'test', user: 'u1' })).rejects.toThrow(/openDataset/);
    await expect(client.recommend('food', 3)).rejects.toThrow(HafrecWorkerError);
    expect(engine.started()).toBe(1);
  });

  it('without a shop configuration there is nothing to init', async () => {
    const engine = engineSource();
    await expect(new HafrecWorkerClient(engine.start).init()).rejects.toThrow(/no shop configuration/);
    expect(engine.started()).toBe(0);
  });
});

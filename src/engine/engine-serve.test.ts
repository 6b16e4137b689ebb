import { describe, expect, it } from 'vitest';
import { SessionPool } from './engine-sessions.ts';
import { serveEngine } from './engine-serve.ts';
import { HafrecWorkerError } from './errors.ts';
import type { EngineProgress, EngineRequest, EngineResults } from './protocol.ts';
import { createRpcClient, type RpcCall, type RpcReply } from './rpc.ts';

/** A page's client wired straight to the engine's serving function (no worker: one message loop). */
function connect() {
  const pool = new SessionPool(async () => new Response(null, { status: 404 }));
  let onCall: (call: RpcCall<EngineRequest>) => void = () => undefined;
  const rpc = createRpcClient<EngineRequest, EngineResults, EngineProgress>((call) => queueMicrotask(() => onCall(call)));
  onCall = serveEngine({ postMessage: (reply) => rpc.receive(reply as RpcReply<EngineProgress>) }, pool, false);
  return rpc;
}

describe('serveEngine: one protocol for the tag and the demo', () => {
  it('a tag request before init fails with the typed worker error', async () => {
    await expect(connect().call({ kind: 'recommend', domain: 'food', k: 3 })).rejects.toThrow(HafrecWorkerError);
  });

  it('a workbench request reaches the lazily loaded workbench, which asks for a dataset first', async () => {
    const call = connect().call({ kind: 'shopper', split: 'valid', user: 'u1' });
    await expect(call).rejects.toThrow(HafrecWorkerError);
    await expect(call).rejects.toThrow(/openDataset/);
  });
});

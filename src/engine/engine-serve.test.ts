import { describe, expect, it } from 'vitest';
import { SessionPool } from './engine-sessions.ts';
import { recommendOn, serveEngine } from './engine-serve.ts';
import { createCatalog } from '../catalog/catalog.ts';
import { createPopularity } from '../eval/baselines/popularity.ts';
import { HafrecWorkerError } from './errors.ts';
import { EmbeddingOptionError } from '../embedding/errors.ts';
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

  it('an embedding request reaches the lazily loaded embedding chunk, which asks for a model first', async () => {
    const call = connect().call({ kind: 'embedTexts', texts: ['tea'] });
    await expect(call).rejects.toThrow(EmbeddingOptionError);
    await expect(call).rejects.toThrow(/loadClip/);
  });

  it('a recommend from a page that sent no init goes to the workbench\'s session, which needs a dataset first', async () => {
    const client = connect();
    await client.call({ kind: 'shopper', split: 'valid', user: 'u1' }).catch(() => undefined);
    const call = client.call({ kind: 'recommend', domain: 'food', k: 3, insight: true });
    await expect(call).rejects.toThrow(HafrecWorkerError);
    await expect(call).rejects.toThrow(/openDataset/);
  });
});

describe('recommendOn: the one recommend path on any serving session', () => {
  const catalog = createCatalog('shop', [
    { id: 'f1', domain: 'food', title: 'Tea' },
    { id: 'k1', domain: 'kitchen', title: 'Mug' },
    { id: 'k2', domain: 'kitchen', title: 'Kettle' },
  ]);
  const recommender = createPopularity(catalog, Float64Array.from([0, 1, 2, 3]));
  const events = [{ type: 'view' as const, itemId: 'k1', domain: 'kitchen', ts: 1 }, { type: 'view' as const, itemId: 'f1', domain: 'food', ts: 2 }];
  const store = { events: async () => events };

  it('reads the session\'s stored history by the one rule and says what served the picks', async () => {
    const out = await recommendOn({ store, catalog, recommender, baseUrl: 'https://shop.example/', backend: 'wasm' }, { kind: 'recommend', domain: 'kitchen', k: 2 });
    expect(out.items.map((r) => r.id)).toEqual(['k2']);
    expect({ model: out.model, backend: out.backend, historyLength: out.historyLength }).toEqual({ model: 'popularity', backend: 'wasm', historyLength: 2 });
    const plain = await recommendOn({ store, catalog, recommender, baseUrl: 'https://shop.example/' }, { kind: 'recommend', domain: 'kitchen', k: 2 });
    expect('backend' in plain).toBe(false);
  });
});

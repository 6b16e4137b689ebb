import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../catalog/types.ts';
import { EmbeddingOptionError, ModelFileError } from '../embedding/errors.ts';
import type { EmbeddingProgress } from '../embedding/progress.ts';
import { createEmbeddingClient } from './embedding-client.ts';
import { SessionPool } from './engine-sessions.ts';
import { serveEngine } from './engine-serve.ts';
import { HafrecWorkerError } from './errors.ts';
import { HafrecWorkerClient } from './hafrec-client.ts';
import type { EngineRequest } from './protocol.ts';
import type { RpcCall } from './rpc.ts';

/** Relative to the repository root (vitest's cwd): a folder path in Node, as a page-relative URL would be in a browser. */
const TINY_CLIP = 'public/models/tiny-clip';
const EXPECTED = JSON.parse(readFileSync(join(import.meta.dirname, '../embedding/fixtures/tiny-clip-text.json'), 'utf8')) as { texts: string[]; vectors: number[][] };

/**
 * An engine worker as a page sees it, serving in this thread: every message is structured-cloned
 * (buffers transferred) as postMessage would, so errors and vectors cross a real boundary.
 */
function engineWorker(): { readonly worker: Worker; readonly terminated: () => boolean } {
  const pool = new SessionPool(async () => new Response(null, { status: 404 }));
  const worker = {
    terminated: false,
    onmessage: undefined as ((event: MessageEvent) => void) | undefined,
    onerror: undefined,
    postMessage: (call: RpcCall<EngineRequest>) => queueMicrotask(() => onCall(structuredClone(call))),
    terminate: () => void (worker.terminated = true),
  };
  const onCall = serveEngine(
    { postMessage: (reply, transfer) => worker.onmessage?.({ data: structuredClone(reply, { transfer: transfer ?? [] }) } as MessageEvent) },
    pool,
    false,
  );
  return { worker: worker as unknown as Worker, terminated: () => worker.terminated };
}

const startEngine = (): Worker => engineWorker().worker;

const items: Item[] = [
  { id: 'a', domain: 'food', title: 'Dark chocolate bar' },
  { id: 'b', domain: 'food' },
  { id: 'c', domain: 'kitchen', title: 'Chef knife' },
];

describe('createEmbeddingClient: CLIP in the one engine worker', () => {
  it('loads CLIP by folder, streams its progress and embeds texts as Node does', async () => {
    const events: EmbeddingProgress[] = [];
    const clip = createEmbeddingClient(new HafrecWorkerClient(startEngine));
    const info = await clip.load({ model: TINY_CLIP, modalities: ['text'], cacheName: null }, (e) => events.push(e));
    expect(info).toEqual({ model: 'tiny-clip@main', device: 'cpu', dim: 32 });
    expect(new Set(events.map((e) => e.status))).toEqual(new Set(['load', 'download', 'ready']));
    const batches: EmbeddingProgress[] = [];
    const vectors = await clip.embedTexts(EXPECTED.texts, (e) => batches.push(e));
    vectors.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - EXPECTED.vectors[i]![j]!)).toBeLessThan(1e-5)));
    expect(batches.at(-1)).toMatchObject({ status: 'batch', modality: 'text', done: EXPECTED.texts.length });
    await clip.reset();
  }, 60_000);

  it('embeds a catalog through the cache: a second run hits it without loading the model', async () => {
    const clip = createEmbeddingClient(new HafrecWorkerClient(startEngine));
    const options = { model: TINY_CLIP, modalities: ['text'] as const, cacheName: 'engine-embedding-client-test' };
    await clip.load(options);
    const first = await clip.embedCatalog('shop', items);
    expect(first.stats.text).toEqual({ hits: 0, misses: 2, absent: 1 });
    expect(Array.from(first.tables[0]!.present)).toEqual([0, 1, 0, 1]);
    expect(await clip.cacheInfo()).toMatchObject({ count: 2 });

    expect(await clip.load({ ...options, eager: false })).toEqual({ model: 'tiny-clip@main' });
    const events: EmbeddingProgress[] = [];
    const second = await clip.embedCatalog('shop', items, ['text'], (e) => events.push(e));
    expect(second.runs).toEqual({ text: 0, image: 0 });
    expect(second.stats.text).toEqual({ hits: 2, misses: 0, absent: 1 });
    expect(events).toContainEqual({ status: 'cache', modality: 'text', hits: 2, misses: 0 });
    expect(events.some((e) => e.status === 'load')).toBe(false);
    await clip.clearCache();
    expect(await clip.cacheInfo()).toEqual({ count: 0, payloadBytes: 0 });
    await clip.reset();
  }, 60_000);

  it('errors cross the boundary as the typed errors the engine threw, with their fields', async () => {
    const clip = createEmbeddingClient(new HafrecWorkerClient(startEngine));
    const early = await clip.embedTexts(['tea']).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(EmbeddingOptionError);
    expect((early as Error).message).toMatch(/send "loadClip"/);
    const missing = await clip.load({ model: 'public/models/no-such-clip', cacheName: null }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelFileError);
    expect(missing).toMatchObject({ model: 'no-such-clip@main', file: 'config.json' });
  }, 60_000);

  it('over a page\'s engine, terminate lets go of CLIP and leaves the engine serving', async () => {
    const { worker, terminated } = engineWorker();
    const engine = new HafrecWorkerClient(() => worker, undefined, 'dedicated', 'hafrec-demo');
    const clip = createEmbeddingClient(engine);
    await clip.load({ model: TINY_CLIP, modalities: ['text'], cacheName: null, eager: false });
    clip.terminate();
    await expect(clip.embedTexts(['tea'])).rejects.toBeInstanceOf(EmbeddingOptionError);
    await expect(engine.call({ kind: 'shopper', split: 'test', user: 'u1' })).rejects.toThrow(/openDataset/);
    expect(terminated()).toBe(false);
  });

  it('over a worker it was given, terminate stops it and fails the calls in flight', async () => {
    const { worker, terminated } = engineWorker();
    const clip = createEmbeddingClient(worker);
    const pending = clip.load({ model: TINY_CLIP, modalities: ['text'], cacheName: null });
    clip.terminate();
    await expect(pending).rejects.toBeInstanceOf(HafrecWorkerError);
    expect(terminated()).toBe(true);
  });
});

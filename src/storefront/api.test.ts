import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openHistoryStore } from '../store/history-store.ts';
import { InvalidConsentError } from '../store/errors.ts';
import { InvalidRequestError } from '../engine/errors.ts';
import { HafrecWorkerClient } from '../engine/hafrec-client.ts';
import { createApi } from './api.ts';
import { UnknownCommandError } from './errors.ts';
import type { PendingLog } from './pending-log.ts';
import { testConfig } from './test-config.ts';

let n = 0;
/** A pending log that records what the API gives it. */
function recordingLog(): PendingLog & { added: string[] } {
  const added: string[] = [];
  return {
    added,
    add: (event) => void added.push(event.id!),
    remove: () => undefined,
    leftovers: () => [],
    discard: () => undefined,
    flush: () => undefined,
    clear: () => void added.splice(0),
  };
}

async function setup() {
  const store = await openHistoryStore({ retention: {}, name: `api-${++n}`, broadcast: false });
  const worker = new HafrecWorkerClient('https://shop.example/embed-worker.js', { catalogUrl: '', modelUrl: '', dbName: store.name, retention: {}, defaultConsent: true });
  const log = recordingLog();
  return { store, log, api: createApi(testConfig(store.name), store, worker, { log, consent: true }) };
}

describe('the API refuses bad arguments before changing anything', () => {
  it('consent(null), consent(0) and consent("no") reject and leave consent and the pending log as they were', async () => {
    const { store, log, api } = await setup();
    for (const bad of [null, 0, 'no', NaN]) {
      const error = await api.consent(bad as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidConsentError);
      expect((error as Error).message).toMatch(/consent must be true or false .*nothing was changed/);
    }
    expect(await api.consent()).toBe(true);
    await api.track({ type: 'view', itemId: 1 });
    expect(log.added).toHaveLength(1);
    expect(await store.count()).toBe(1);
    store.close();
  });

  it('recommend(domain, k) with k NaN, "abc", -3, 2.5 or 101 is an InvalidRequestError (the worker is never started)', async () => {
    const { store, api } = await setup();
    for (const k of [NaN, 'abc', -3, 2.5, 101, 0]) {
      const error = await api.recommend('food', k as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(/"k" must be an integer from 1 to 100/);
    }
    await expect(api.recommend('', 4)).rejects.toThrow(/"domain" must be a non-empty domain name/);
    store.close();
  });

  it('push with something that is not a command is an UnknownCommandError naming the valid ones; nothing is stored', async () => {
    const { store, api } = await setup();
    for (const bad of [['buy', {}], 'track', null]) {
      const error = await api.push(bad as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownCommandError);
      expect(error).toMatchObject({ command: JSON.stringify(bad), valid: ['track', 'consent', 'recommend', 'export', 'forget', 'ready'] });
    }
    expect(await store.count()).toBe(0);
    store.close();
  });

  it('a synchronous burst is stored in order, in few transactions, each event once', async () => {
    const { store, api } = await setup();
    const all = Array.from({ length: 1200 }, (_, i) => api.track({ type: 'view', itemId: i }));
    const stored = await Promise.all(all);
    expect(stored.map((e) => e?.itemId)).toEqual(Array.from({ length: 1200 }, (_, i) => String(i)));
    expect(new Set(stored.map((e) => e?.id)).size).toBe(1200);
    expect(await store.count()).toBe(1200);
    store.close();
  });
});

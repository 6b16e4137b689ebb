import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { Sequence } from '../catalog/types.ts';
import { countTransitions, createCooccurrence, DEFAULT_COOCCURRENCE } from '../eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../eval/baselines/popularity.ts';
import type { HistoryEvent } from '../store/event.ts';
import { readCooccurrenceFile, writeCooccurrenceFile } from './model-file.ts';
import { loadModel } from './model-registry.ts';
import { explainByRemoval } from './explain.ts';
import { historyFromEvents, recommendFromHistory, safeUrl, serveRecommendations } from './recommend-service.ts';
import type { InsightRecommender } from './insight.ts';

// Items 1..3 food, 4..6 kitchen.
const catalog = createCatalog('shop', [
  { id: 'f1', domain: 'food', title: 'Tea', url: 'p/f1.html' },
  { id: 'f2', domain: 'food', title: 'Coffee', url: 'javascript:alert(1)' },
  { id: 'f3', domain: 'food', title: 'Cocoa' },
  { id: 'k1', domain: 'kitchen', title: 'Mug', url: 'p/k1.html', image: 'img/k1.png' },
  { id: 'k2', domain: 'kitchen', title: 'Press', url: 'https://elsewhere.example/k2' },
  { id: 'k3', domain: 'kitchen', title: 'Kettle' },
]);
const seq = (...items: number[]): Sequence => ({ user: 'u', items: Int32Array.from(items) });
const train = [seq(1, 4), seq(1, 4), seq(2, 5), seq(2, 5), seq(3, 6), seq(4, 6), seq(6, 6, 6)];
const params = DEFAULT_COOCCURRENCE;
const table = countTransitions(catalog.size, train, params);
const popularity = countOccurrences(catalog, train);
const file = writeCooccurrenceFile(catalog, table, popularity, params, 'toy');
const BASE = 'https://shop.example/shop/catalog.json';
let t = 0;
const ev = (itemId: string, type: HistoryEvent['type'] = 'view'): HistoryEvent => ({
  type, itemId, domain: catalog.findIndex(itemId) ? catalog.item(catalog.indexOf(itemId)).domain : 'food', ts: ++t,
});

describe('model files', () => {
  it('round-trips a co-occurrence model through JSON and scores like the original', async () => {
    const loaded = await loadModel({ manifest: JSON.parse(JSON.stringify(file)), catalog, url: 'm.json', fetch });
    const original = createCooccurrence(catalog, table, popularity, params);
    const request = [{ history: Int32Array.from([1, 2]), domain: 1 }];
    expect([...(await loaded.score(request))[0]!]).toEqual([...(await original.score(request))[0]!]);
  });

  it('re-indexes by item id when the store reorders or trims its catalog', () => {
    const reordered = createCatalog('shop', [catalog.item(6), catalog.item(4), catalog.item(1)]);
    const { table: t2, popularity: p2 } = readCooccurrenceFile(file, reordered, 'm.json');
    // f1 (now 3) -> k1 (now 2) with weight 2; nothing points at the dropped items.
    expect([...t2.targets.subarray(t2.offsets[3]!, t2.offsets[4]!)]).toEqual([2]);
    expect([...t2.weights.subarray(t2.offsets[3]!, t2.offsets[4]!)]).toEqual([2]);
    expect(p2[2]).toBe(popularity[4]);
  });

  it('rejects what it cannot run with errors naming what is valid', async () => {
    const load = (manifest: unknown) => loadModel({ manifest, catalog, url: 'https://s/m.json', fetch });
    await expect(load([])).rejects.toThrow(/not a hafrec model manifest/);
    await expect(load({ ...file, version: 2 })).rejects.toThrow(/version 2 is not supported \(valid: 1\)/);
    await expect(load({ ...file, kind: 'sasrec' })).rejects.toThrow(/unknown kind "sasrec"; valid kinds are cooccurrence, popularity/);
    await expect(load({ ...file, offsets: [0] })).rejects.toThrow(/offsets must have ids.length \+ 2/);
    await expect(load({ ...file, ids: [1, 2] })).rejects.toThrow(/"ids" must be an array of item id strings/);
  });
});

describe('recommendations from stored events', () => {
  const recommender = createCooccurrence(catalog, table, popularity, params);

  it('maps known events to a history, collapsing repeats and keeping the strongest action', () => {
    const { items, types } = historyFromEvents(catalog, [ev('f1'), ev('f1', 'purchase'), ev('other'), ev('k1'), ev('f1')]);
    expect([...items]).toEqual([1, 4, 1]);
    expect(types).toEqual(['purchase', 'view', 'view']);
  });

  it('recommends unseen items of the domain, each with the history item whose co-occurrence votes chose it as reason', async () => {
    const out = await recommendFromHistory({ catalog, recommender, events: [ev('f2'), ev('f1')], domain: 'kitchen', k: 2, baseUrl: BASE });
    expect(out.map((r) => r.id)).toEqual(['k1', 'k2']);
    expect(out[0]!.reason).toEqual({ itemId: 'f1', type: 'view', title: 'Tea' });
    expect(out[1]!.reason).toEqual({ itemId: 'f2', type: 'view', title: 'Coffee' });
    expect(out[0]!.url).toBe('https://shop.example/shop/p/k1.html');
    expect(out[0]!.image).toBe('https://shop.example/shop/img/k1.png');
    const again = await recommendFromHistory({ catalog, recommender, events: [ev('k1'), ev('f1')], domain: 'kitchen', k: 3, baseUrl: BASE });
    expect(again.map((r) => r.id)).not.toContain('k1');
  });

  it('without history, items come from popularity and carry no reason', async () => {
    const out = await recommendFromHistory({ catalog, recommender, events: [], domain: 'kitchen', k: 3, baseUrl: BASE });
    expect(out.map((r) => r.id)).toEqual(['k3', 'k1', 'k2']);
    expect(out.every((r) => r.reason === undefined)).toBe(true);
  });

  it('names the valid domains for an unknown one', async () => {
    await expect(recommendFromHistory({ catalog, recommender, events: [], domain: 'toys', k: 3, baseUrl: BASE })).rejects.toThrow(
      /unknown domain "toys": valid domains are "food", "kitchen"/,
    );
  });

  it('answers with what served the picks, and the model\'s insight only when asked for', async () => {
    const seen: number[][] = [];
    const insightful: InsightRecommender = {
      name: recommender.name,
      score: (requests) => recommender.score(requests),
      recommend: (h, d, k, exclude) => recommender.recommend(h, d, k, exclude),
      dispose: () => undefined,
      insight: async (_history, _domain, items) => {
        seen.push([...items]);
        return { picks: Array.from(items, (item) => ({ source: 'votes' as const, domainWeights: { food: 1 }, items: [{ itemId: `why-${item}`, weight: 1 }] })) };
      },
    };
    const events = [ev('f2'), ev('f2', 'purchase'), ev('f1')];
    const plain = await serveRecommendations({ catalog, recommender: insightful, events, domain: 'kitchen', k: 2, baseUrl: BASE });
    expect(plain.insight).toBeUndefined();
    expect(seen).toEqual([]);
    const full = await serveRecommendations({ catalog, recommender: insightful, events, domain: 'kitchen', k: 2, baseUrl: BASE, insight: true });
    expect(full.items).toEqual(plain.items);
    expect({ model: full.model, historyLength: full.historyLength }).toEqual({ model: recommender.name, historyLength: 2 });
    expect(full.ms).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual([[4, 5]]);
    expect(full.insight!.picks.map((p) => p!.items[0]!.itemId)).toEqual(['why-4', 'why-5']);
    // A model without insight answers the same picks, without it.
    expect((await serveRecommendations({ catalog, recommender, events, domain: 'kitchen', k: 2, baseUrl: BASE, insight: true })).insight).toBeUndefined();
  });

  it('leave-one-out gives no reason when no history item raises the score', async () => {
    const reasons = await explainByRemoval(recommender, Int32Array.from([3]), 1, Int32Array.from([5]));
    expect(reasons).toEqual([undefined]);
  });

  it('only http(s) links survive', () => {
    expect(safeUrl('javascript:alert(1)', BASE)).toBeUndefined();
    expect(safeUrl('data:text/html,x', BASE)).toBeUndefined();
    expect(safeUrl('p/x.html', BASE)).toBe('https://shop.example/shop/p/x.html');
  });
});

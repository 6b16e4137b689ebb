import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { topK } from '../../eval/top-k.ts';
import { createHafModel } from '../../model/create.ts';
import type { HafModel } from '../../model/model.ts';
import { HafRecommender } from '../../model/recommender.ts';
import { TINY, tinyText } from '../../model/test-fixtures.ts';
import type { HistoryEvent } from '../../store/event.ts';
import { serveRecommendations } from '../recommend-service.ts';
import { tinyWorkbenchData } from './test-fixtures.ts';
import { attentionSummary, blendWorkbenchModel, hafWorkbenchModel, type HafHandle } from './workbench-haf.ts';
import { cooccurrenceVoters, createCooccurrenceModel, type WorkbenchModel } from './workbench-models.ts';

const data = tinyWorkbenchData();
const { catalog, train } = data.dataset;
const text = tinyText(catalog);
const events = (ids: readonly string[]): HistoryEvent[] =>
  ids.map((itemId, ts) => ({ type: 'view', itemId, domain: catalog.findIndex(itemId) ? catalog.item(catalog.indexOf(itemId)).domain : 'food', ts }));
const historyOf = (ids: readonly string[]): Int32Array => Int32Array.from(ids.flatMap((id) => catalog.findIndex(id) ?? []));

/** The store's request for one domain: the engine's one recommend path, with the model's insight. */
const serve = (demo: WorkbenchModel, ids: readonly string[], domain: string) =>
  serveRecommendations({ catalog, recommender: demo.recommender, events: events(ids), domain, k: 3, baseUrl: 'https://demo.example/data/', insight: true });

describe('the demo\'s models served through the engine\'s recommend path', () => {
  let model: HafModel;
  let handle: HafHandle;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = createHafModel(catalog, { config: TINY, features: [text], train, seed: 3 });
    handle = { model, recommender: new HafRecommender(model, catalog, { ownsModel: false }), features: [text], source: 'scratch' };
  });
  afterAll(() => {
    handle.recommender.dispose();
    model.dispose();
  });

  for (const [name, factory] of [['haf', hafWorkbenchModel], ['haf+cooccurrence', blendWorkbenchModel]] as const) {
    it(`${name}: one forward pass per domain ranks, gives each pick its reason and the attention insight; the scores are the model's`, async () => {
      const demo = await factory(handle, data, 'cpu');
      for (const ids of [['i0', 'i7', 'i2', 'unknown', 'i8'], ['i11'], []]) {
        const history = historyOf(ids);
        for (const [d, domain] of catalog.domains.entries()) {
          const forward = vi.spyOn(model, 'forward');
          const out = await serve(demo, ids, domain);
          expect(forward).toHaveBeenCalledTimes(1);
          forward.mockRestore();
          expect(out.model).toBe(name);
          const [scores] = await demo.recommender.score([{ history, domain: d }, { history, domain: d }]);
          const picks = topK(scores!, catalog.domainItems[d]!, 3, new Set(history));
          expect(out.items.map((r) => [r.id, r.score])).toEqual(picks.map((p) => [catalog.id(p.item), p.score]));
          expect(out.items.every((r) => (r.reason?.attention !== undefined) === ids.length > 0)).toBe(true);
          const shared = ids.length > 0 ? attentionSummary(data, await handle.recommender.explainAttention(history, d)) : undefined;
          expect(out.insight?.shared).toEqual(shared);
          const voters = name === 'haf' ? [] : cooccurrenceVoters(data, history, Int32Array.from(picks, (p) => p.item)).map((w) => (w.items.length > 0 ? w : undefined));
          expect(out.insight?.picks).toEqual(voters);
        }
      }
      demo.dispose();
      // The view never disposes the handle the workbench keeps.
      expect((await handle.recommender.score([{ history: historyOf(['i0']), domain: 0 }]))[0]!.length).toBeGreaterThan(0);
    });
  }

  it('co-occurrence: each pick explained by its voters (or the history\'s domains when none voted)', async () => {
    const demo = await createCooccurrenceModel(data);
    const ids = ['i0', 'i7', 'i2'];
    const out = await serve(demo, ids, catalog.domains[1]!);
    expect(out.model).toBe('cooccurrence');
    expect(out.insight?.shared).toBeUndefined();
    expect(out.insight?.picks).toHaveLength(out.items.length);
    const voted = out.insight!.picks.filter((why) => why!.source === 'votes');
    for (const why of voted) expect(why!.items.length).toBeGreaterThan(0);
    demo.dispose();
  });
});

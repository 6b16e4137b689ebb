import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countTransitions, DEFAULT_COOCCURRENCE } from '../../eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../../eval/baselines/popularity.ts';
import { topK } from '../../eval/top-k.ts';
import { createHafModel } from '../../model/create.ts';
import type { HafModel } from '../../model/model.ts';
import { HafRecommender } from '../../model/recommender.ts';
import { TINY, tinyCatalog, tinyText, tinyTrain } from '../../model/test-fixtures.ts';
import { recommendAll, toIndices, type WorkbenchData } from './workbench-jobs.ts';
import { explainsInOnePass } from './workbench-explain.ts';
import { blendWorkbenchModel, hafWorkbenchModel, type HafHandle } from './workbench-haf.ts';
import { createCooccurrenceModel, type WorkbenchModel } from './workbench-models.ts';

const catalog = tinyCatalog();
const text = tinyText(catalog);
const train = tinyTrain();
const data: WorkbenchData = {
  dataset: { name: 'tiny', catalog, train, valid: [], test: [] },
  popularity: countOccurrences(catalog, train),
  transitions: countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE),
  cases: { valid: new Map(), test: new Map() },
};

/** What recommendAll showed before it explained in the scoring pass: score, top-k, then explain() per domain. */
async function twoPass(demo: WorkbenchModel, ids: readonly string[], k: number) {
  const history = toIndices(catalog, ids);
  const scores = await demo.recommender.score(catalog.domains.map((_, domain) => ({ history, domain })));
  const out = [];
  for (const [d, domain] of catalog.domains.entries()) {
    const picks = topK(scores[d]!, catalog.domainItems[d]!, k, new Set(history));
    const why = await demo.explain(history, d, picks.map((p) => p.item));
    const items = picks.map((p, i) => ({ itemId: catalog.item(p.item).id, score: p.score, ...(why.picks[i] ? { explanation: why.picks[i] } : {}) }));
    out.push({ domain, items, ...(why.shared ? { shared: why.shared } : {}) });
  }
  return out;
}

describe('demo recommendations with HAF: scored and explained in one forward pass', () => {
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
    it(`${name}: one forward pass for every domain, the same picks, scores and reasons as scoring then explaining`, async () => {
      const demo = factory(handle, data, 'cpu');
      expect(explainsInOnePass(demo)).toBe(true);
      for (const ids of [['i0', 'i7', 'i2', 'unknown', 'i8'], ['i11'], []]) {
        const forward = vi.spyOn(model, 'forward');
        const result = await recommendAll(data, demo, ids, 3);
        expect(forward).toHaveBeenCalledTimes(1);
        forward.mockRestore();
        expect(result.model).toBe(name);
        expect(result.perDomain.map(({ domain, items, shared }) => ({ domain, items, ...(shared ? { shared } : {}) }))).toEqual(await twoPass(demo, ids, 3));
        expect(result.perDomain.every((d) => (d.shared !== undefined) === ids.length > 0)).toBe(true);
      }
      demo.dispose();
    });
  }

  it('models without a one-pass explainer still score, then explain', async () => {
    const demo = createCooccurrenceModel(data);
    expect(explainsInOnePass(demo)).toBe(false);
    const ids = ['i0', 'i7', 'i2'];
    const result = await recommendAll(data, demo, ids, 3);
    expect(result.perDomain.map(({ domain, items }) => ({ domain, items }))).toEqual(await twoPass(demo, ids, 3));
    demo.dispose();
  });
});

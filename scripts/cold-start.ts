/**
 * The cold-start measure: valid NDCG@10 with every valid target described as the served model
 * describes a product new to its weights, by its content alone (HafModel.hideIds), ranked
 * against the usual negatives and whole domain, whose items keep their ID rows. Neither split
 * sees this otherwise: a target has almost always occurred in training (Food-Kitchen: 4 of 960
 * valid targets had not), yet a shop adds products every day. The targets' ID rows are hidden
 * everywhere at once, in the histories that hold them too, as a new product's would be.
 */
import type { Catalog, EvalCase } from '../src/catalog/types.ts';
import { evaluate, type EvalReport } from '../src/eval/evaluate.ts';
import type { HafModel } from '../src/model/model.ts';
import { HafRecommender } from '../src/model/recommender.ts';

export async function newProductReport(model: HafModel, catalog: Catalog, cases: readonly EvalCase[], full: boolean): Promise<EvalReport> {
  const restore = model.hideIds(Int32Array.from(new Set(cases.map((c) => c.target))));
  const recommender = new HafRecommender(model, catalog, { ownsModel: false, name: 'haf, targets as new products' });
  try {
    return await evaluate(recommender, catalog, cases, { split: 'valid, targets as new products', full });
  } finally {
    recommender.dispose();
    restore();
  }
}

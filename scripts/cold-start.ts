/**
 * The cold-start measure: valid NDCG@10 as if the valid targets and a seeded tenth of the other
 * items were products new to the weights, described by their content alone (HafModel.hideIds),
 * as the served model describes a product it has no row for. Neither split sees this otherwise:
 * a target has almost always occurred in training (Food-Kitchen: 4 of 960 valid targets had
 * not), yet a shop adds products every day.
 *
 * Why a tenth of the other items too: with the targets alone new, every new item competes only
 * with old ones, and a model that scores every content-only item high (vectors longer than its
 * trained rows: the shipped Food-Kitchen model's are ~1.9x) gains in full without telling new
 * products apart; in a shop where one product in ten is new, favouring them all costs it too
 * (docs/experiments.md, "Cold start"). New items in the histories are described by content as well,
 * as a new product viewed would be.
 */
import type { Catalog, EvalCase } from '../src/catalog/types.ts';
import { evaluate, type EvalReport } from '../src/eval/evaluate.ts';
import type { HafModel } from '../src/model/model.ts';
import { HafRecommender } from '../src/model/recommender.ts';
import { createRng } from '../src/model/rng.ts';
import { SEARCH_DEFAULTS } from '../src/model/settings-search.ts';

/** Share of the non-target items described as new. */
export const NEW_SHARE = 0.1;

/** The items described as new for `cases`: their targets and a seeded NEW_SHARE of the rest. */
export function newProductItems(catalog: Catalog, cases: readonly EvalCase[], seed = 7): Int32Array {
  const targets = new Set(cases.map((c) => c.target));
  const rng = createRng(seed);
  const out: number[] = [];
  for (let i = 1; i <= catalog.size; i++) if (rng.next() < NEW_SHARE || targets.has(i)) out.push(i);
  return Int32Array.from(out);
}

export async function newProductReport(model: HafModel, catalog: Catalog, cases: readonly EvalCase[], full: boolean): Promise<EvalReport> {
  const restore = model.hideIds(newProductItems(catalog, cases));
  const recommender = new HafRecommender(model, catalog, { ownsModel: false, name: 'haf, targets and a tenth of the catalog as new products' });
  try {
    return await evaluate(recommender, catalog, cases, { split: 'valid, targets and a tenth of the catalog as new products', full });
  } finally {
    recommender.dispose();
    restore();
  }
}

const W = SEARCH_DEFAULTS.newProductWeight;
/** How the settings search and the new-item scale weigh a model (valid only). */
export const SELECTION_METRIC = `${1 - W} x valid sampled NDCG@10 + ${W} x the same with the targets and a tenth of the catalog as new products`;

export interface SelectionScore {
  /** Sampled NDCG@10 on `cases`. */
  readonly valid: number;
  /** The same with the targets and a tenth of the catalog as new products. */
  readonly newProducts: number;
  /** SELECTION_METRIC. */
  readonly score: number;
}

/** A model's SELECTION_METRIC on `cases` (valid), with both of its parts. */
export async function selectionScore(model: HafModel, catalog: Catalog, cases: readonly EvalCase[]): Promise<SelectionScore> {
  const recommender = new HafRecommender(model, catalog, { ownsModel: false });
  let valid: number;
  try {
    valid = (await evaluate(recommender, catalog, cases, { full: false, split: 'valid' })).sampled.overall!['NDCG@10'];
  } finally {
    recommender.dispose();
  }
  const newProducts = (await newProductReport(model, catalog, cases, false)).sampled.overall!['NDCG@10'];
  return { valid, newProducts, score: (1 - W) * valid + W * newProducts };
}

/**
 * Factors tried for config.newItemScale, 1 (as trained) first so that it wins ties. How long a
 * content-only vector comes out against the trained rows is an accident of training: the
 * shipped Food-Kitchen model's were 1.9x longer than its trained rows, a 15-minute search's
 * too short to rank any new product (BENCHMARKS.md, "Cold start").
 */
export const NEW_ITEM_SCALES = [1, 0.5, 0.75, 1.5, 2, 3, 4] as const;

export interface NewItemScaleChoice {
  readonly metric: string;
  readonly scale: number;
  readonly candidates: readonly (SelectionScore & { readonly scale: number })[];
}

/** Sets the model's newItemScale to the factor of `scales` with the best SELECTION_METRIC on `cases`. */
export async function chooseNewItemScale(
  model: HafModel,
  catalog: Catalog,
  cases: readonly EvalCase[],
  scales: readonly number[] = NEW_ITEM_SCALES,
): Promise<NewItemScaleChoice> {
  const candidates: (SelectionScore & { scale: number })[] = [];
  for (const scale of scales) {
    model.setNewItemScale(scale);
    candidates.push({ scale, ...(await selectionScore(model, catalog, cases)) });
  }
  const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
  model.setNewItemScale(best.scale);
  return { metric: SELECTION_METRIC, scale: best.scale, candidates };
}

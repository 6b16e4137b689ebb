/**
 * The lazy half of the `haf` kind (its own chunk of the worker build): tfjs, the HAF model,
 * the lexical encoder (CLIP, for new items of a CLIP bundle, is a further lazy chunk). Loads a
 * bundle's weights through a fetch, maps them to the shop's catalog by item id, builds the
 * content features of the catalog items the bundle lacks and blends HAF with the prior exactly
 * as `npm run bundle` chose on valid.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import type { FeatureTable } from '../catalog/features.ts';
import { createLexicalEncoder, parseLexicalEncoderId } from '../embedding/lexical-encoder.ts';
import { createPriorBlend } from '../eval/blend.ts';
import type { Recommender } from '../eval/recommender.ts';
import { HafRecommender, type Explanation as AttentionExplanation, type HafRecommenderOptions } from '../model/recommender.ts';
import type { HafModel } from '../model/model.ts';
import { parseManifest } from '../model/manifest.ts';
import { loadHaf } from '../model/weights-io.ts';
import { reindexWeights } from '../model/weights-reindex.ts';
import type { ExplainingRecommender } from './explain.ts';
import { attentionReasons } from './haf-reasons.ts';
import { onePassHaf, type OnePassHaf } from './haf-one-pass.ts';
import { topK } from '../eval/top-k.ts';
import type { HafBundleFile } from './haf-bundle-file.ts';
import type { ModelContext } from './model-context.ts';
import { fetchBundleBytes } from './bundle-fetch.ts';
import { catalogItemTable, fillMissing, withZeroItemIds } from './haf-item-table.ts';
import { missingFeatures } from './missing-features.ts';
import { catalogInt8Items, fillMissingInt8, subCatalog } from './haf-int8-items.ts';
import { itemScoring } from './item-scoring.ts';
import { Int8ItemTable } from '../model/int8-item-table.ts';
import { ModelFormatError } from './errors.ts';

export { chooseTagWholeDomain } from './haf-whole-domain.ts';

async function startBackend(context: ModelContext): Promise<void> {
  if (context.backend) {
    await context.backend();
    return;
  }
  const { startBrowserBackend } = await import('./haf-browser-backend.ts');
  await startBrowserBackend();
}

/** The catalog's feature tables from its text: a bundle without items.bin has lexical features only. */
export function bundleFeatures(file: HafBundleFile, catalog: Catalog, url: string): FeatureTable[] {
  return file.features.map((f) => {
    if (f.source !== 'catalog-text') throw new ModelFormatError(url, `${f.modality} features from ${f.encoder} (CLIP) need "items" (haf/items.bin); without it valid features are lexical text only`);
    return createLexicalEncoder(parseLexicalEncoderId(f.encoder)!).encodeCatalog(catalog);
  });
}

/** HAF's inputs once read: what a bundle fetched, or what the workbench read from its weights folder or the browser. */
export interface HafInputs {
  readonly artifacts: tf.io.ModelArtifacts;
  /** Item id of each weights row (a bundle's `ids`): rows map to the catalog by id. Absent: the weights were saved for this very catalog (its fingerprint is checked). */
  readonly ids?: readonly string[];
  readonly features: readonly FeatureTable[];
}

/** The one way read HAF weights become a model for `catalog`: re-indexed by item id when `ids` are given, then checked and built. */
export async function hafModelFrom(catalog: Catalog, inputs: HafInputs): Promise<HafModel> {
  const { artifacts, ids, features } = inputs;
  const meta = (artifacts.userDefinedMetadata as { hafrec?: unknown } | undefined)?.hafrec;
  const weights = ids ? reindexWeights(artifacts, ids, catalog) : { artifacts, manifest: parseManifest(meta) };
  return (await loadHaf(weights, catalog, features)).model;
}

/** HAF served from already-read inputs: the bundle's path without an item table, and the workbench's loaded weights. */
export async function hafFrom(catalog: Catalog, inputs: HafInputs, options: HafRecommenderOptions = {}): Promise<HafRecommender> {
  return new HafRecommender(await hafModelFrom(catalog, inputs), catalog, options);
}

/**
 * HAF for the shop's catalog: rows by item id; items unknown to the weights from content only.
 * `tables`: the whole catalog's feature tables, when the caller has them (npm run bundle
 * computing items.bin from a CLIP feature file); otherwise computed from the catalog.
 */
export async function loadBundleHaf(context: ModelContext, file: HafBundleFile, tables?: readonly FeatureTable[]): Promise<HafRecommender> {
  await startBackend(context);
  const url = new URL(file.weights, context.url).href;
  const handler = tf.io.http(url, { fetchFunc: context.fetch, requestInit: { credentials: 'same-origin' } });
  // Computing items.bin itself (`tables` given) needs the float table; otherwise the manifest or the catalog's size decides.
  const scoring = tables ? 'float' : itemScoring(context.manifest, file, context.catalog, context.url);
  const [artifacts, items] = await Promise.all([handler.load!(), file.items ? fetchBundleBytes(context, file.items) : undefined]);
  if (items && scoring === 'int8') return loadInt8Haf(context, file, artifacts, items);
  if (!items) return hafFrom(context.catalog, { artifacts, ids: file.ids, features: tables ?? bundleFeatures(file, context.catalog, context.url) }, { name: 'haf (bundle)' });
  const table = catalogItemTable(items, new URL(file.items!, context.url).href, file.ids, context.catalog);
  const artifactsWithIds = withZeroItemIds(artifacts, file.ids.length + 1, table.dim);
  const model = await hafModelFrom(context.catalog, { artifacts: artifactsWithIds, ids: file.ids, features: await missingFeatures(context, file, table.missing) });
  await fillMissing(model, table);
  return new HafRecommender(model, context.catalog, { name: 'haf (bundle)', itemTable: table.table });
}

/**
 * HAF over int8 item rows (haf-int8-items.ts): items.bin's codes per domain, the item tower
 * loaded for the catalog items the bundle lacks, and nothing of catalog size in float32.
 */
async function loadInt8Haf(context: ModelContext, file: HafBundleFile, artifacts: tf.io.ModelArtifacts, items: ArrayBuffer): Promise<HafRecommender> {
  const table = catalogInt8Items(items, new URL(file.items!, context.url).href, file.ids, context.catalog);
  const catalog = subCatalog(context.catalog, table.missing);
  const fitted = reindexWeights(artifacts, file.ids, catalog);
  const dim = table.parts.domains[0]?.dim ?? 0;
  const sub = { ...context, catalog };
  const all = Int32Array.from({ length: catalog.size }, (_, k) => k + 1);
  const model = await hafModelFrom(catalog, { artifacts: withZeroItemIds(fitted.artifacts, catalog.size + 1, dim), features: await missingFeatures(sub, file, all) });
  try {
    await fillMissingInt8(model, context.catalog, table);
    return new HafRecommender(model, context.catalog, { name: 'haf (bundle, int8 items)', int8Items: new Int8ItemTable(context.catalog, table.parts) });
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** A HAF-based recommender that can hand out the attention its last pass read (the demo's insight draws it). */
export interface AttentionSource {
  attention(history: Int32Array, domain: number): Promise<AttentionExplanation>;
}

/** Each pick's reason from the attention of the pass that ranked it (haf-reasons.ts). */
function attentionExplainer(haf: HafRecommender, catalog: Catalog, pass: OnePassHaf): ExplainingRecommender['explain'] {
  return async (history, domain, items) => {
    if (history.length === 0) return Array.from(items, () => undefined);
    return attentionReasons(haf.model, catalog, await pass.explanation(history, domain), history, domain, items, (rows) => haf.itemRows(rows));
  };
}

/** HAF alone, explained as a bundle is: one forward pass ranks a domain and yields the attention behind each pick's reason. Disposing it disposes `haf`. */
export function explainingHaf(haf: HafRecommender, catalog: Catalog): ExplainingRecommender & AttentionSource {
  const pass = onePassHaf(haf);
  const score = pass.scorer.score;
  return {
    name: haf.name,
    score,
    recommend: async (history, domain, k, exclude) => topK((await score([{ history, domain }]))[0]!, catalog.domainItems[domain]!, k, exclude),
    dispose: () => haf.dispose(),
    explain: attentionExplainer(haf, catalog, pass),
    attention: pass.explanation,
  };
}

/**
 * z(HAF) + weight x z(log1p prior) over the target domain (createPriorBlend over one HAF pass),
 * explained by HAF's attention (haf-reasons.ts): what a bundle serves, and the workbench's
 * `haf+cooccurrence`. Disposing it disposes `haf` and `prior`.
 */
export function bundleRecommender(haf: HafRecommender, prior: Recommender, catalog: Catalog, weight: number, name = 'haf+cooccurrence (bundle)'): ExplainingRecommender & AttentionSource {
  const pass = onePassHaf(haf);
  const blend = createPriorBlend(pass.scorer, prior, catalog, weight, name);
  return { ...blend, explain: attentionExplainer(haf, catalog, pass), attention: pass.explanation };
}

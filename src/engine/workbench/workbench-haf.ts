import type { FeatureTable } from '../../catalog/features.ts';
import { createHafModel } from '../../model/create.ts';
import type { HafManifest } from '../../model/manifest.ts';
import { HafRecommender, type Explanation as AttentionExplanation } from '../../model/recommender.ts';
import { readHafArtifacts, saveHaf } from '../../model/weights-io.ts';
import { bundleRecommender, explainingHaf, hafFrom, type AttentionSource } from '../haf-runtime.ts';
import type { HafModel } from '../../model/model.ts';
import type { WorkbenchData } from './workbench-data.ts';
import type { FeatureOrigin } from './workbench-protocol.ts';
import type { DomainInsight, Explanation } from '../insight.ts';
import { cooccurrenceVoters, withInsight, type WorkbenchModel } from './workbench-models.ts';
import { loadLexicalFeatures } from './workbench-features.ts';
import { storedWeightsExist, storedWeightsHandler } from './workbench-weights.ts';
import { loadDatasetModel } from './workbench-manifests.ts';
import { DEFAULT_BLEND_WEIGHT } from '../../eval/blend.ts';
import { LEXICAL_DEFAULT_DIM, lexicalOptionsFor } from '../../embedding/lexical-encoder.ts';
import { UnsupportedEncoderError } from '../../embedding/errors.ts';
import type { HafKindName } from '../model-kinds.ts';

/** The key weights trained in this browser are kept under (src/store's weights database). */
export const BROWSER_WEIGHTS = 'hafrec-demo-haf';
export const SHIPPED_FOLDER = 'haf-food-kitchen/';
/** The text features HAF uses on Food-Kitchen: lexical (hashed n-grams), not CLIP. */

export type WeightsSource = 'browser' | 'shipped' | 'scratch';

export interface HafHandle {
  readonly model: HafModel;
  readonly recommender: HafRecommender;
  readonly features: readonly FeatureTable[];
  source: WeightsSource;
}

const featureCache = new Map<number, Promise<{ table: FeatureTable; origin: FeatureOrigin }>>();
let lastOrigin: FeatureOrigin | undefined;

/** Lexical title features of the whole catalog: once per dimension per worker, from IndexedDB when cached. */
export async function lexicalFeatures(data: WorkbenchData, dim: number): Promise<FeatureTable> {
  let pending = featureCache.get(dim);
  if (!pending) featureCache.set(dim, (pending = loadLexicalFeatures(data.dataset.catalog, dim)));
  try {
    const { table, origin } = await pending;
    lastOrigin ??= origin;
    return table;
  } catch (error) {
    featureCache.delete(dim);
    throw error;
  }
}

/** How the features of this visit were obtained (the first table loaded). */
export function featureOrigin(): FeatureOrigin | undefined {
  return lastOrigin;
}

async function featuresFor(data: WorkbenchData, manifest: HafManifest): Promise<FeatureTable[]> {
  const tables: FeatureTable[] = [];
  for (const { dim, seed } of lexicalOptionsFor(manifest.features, 'the demo')) {
    if (seed !== 0) throw new UnsupportedEncoderError('text', `lexical-v1-d${dim}-s${seed}`, 'the demo (seed 0 only)');
    tables.push(await lexicalFeatures(data, dim));
  }
  return tables;
}

// No IndexedDB, or an unusable database: the shipped weights still load.
const browserWeightsExist = (): Promise<boolean> => storedWeightsExist(BROWSER_WEIGHTS).catch(() => false);

/** Weights trained in this browser first, then the shipped ones (found without starting tfjs). */
export async function findWeights(modelUrl: string): Promise<[WeightsSource, string][]> {
  const sources: [WeightsSource, string][] = [];
  if (await browserWeightsExist()) sources.push(['browser', BROWSER_WEIGHTS]);
  const shipped = `${modelUrl}${SHIPPED_FOLDER}model.json`;
  // GET, not HEAD: the service worker answers GETs from its cache, so this works offline too.
  const response = await fetch(shipped).catch(() => undefined);
  await response?.body?.cancel().catch(() => undefined);
  // Static servers with an SPA fallback answer 200 text/html for missing files.
  if (response?.ok && (response.headers.get('content-type') ?? '').includes('json')) sources.push(['shipped', shipped]);
  return sources;
}

/** The first of `sources` that loads and fits the catalog; undefined when none does. */
export async function loadHafHandle(data: WorkbenchData, sources: readonly [WeightsSource, string][], log: (why: string) => void): Promise<HafHandle | undefined> {
  for (const [kind, source] of sources) {
    try {
      const weights = await readHafArtifacts(kind === 'browser' ? storedWeightsHandler(source) : source);
      const features = await featuresFor(data, weights.manifest);
      const recommender = await hafFrom(data.dataset.catalog, { artifacts: weights.artifacts, features }, { ownsModel: true });
      return { model: recommender.model, recommender, features, source: kind };
    } catch (error) {
      log(`${kind} HAF weights (${source}) did not load: ${(error as Error).message}`);
    }
  }
  return undefined;
}

/** A fresh model to train from scratch: lexical text features, seeded initialization. */
export async function createScratchHandle(data: WorkbenchData, seed = 42): Promise<HafHandle> {
  const features = [await lexicalFeatures(data, LEXICAL_DEFAULT_DIM)];
  const model = createHafModel(data.dataset.catalog, { features, seed, train: data.dataset.train });
  return { model, recommender: new HafRecommender(model, data.dataset.catalog, { ownsModel: true }), features, source: 'scratch' };
}

export async function saveToBrowser(handle: HafHandle, data: WorkbenchData, training: Record<string, unknown>): Promise<void> {
  await saveHaf(handle.model, data.dataset.catalog, handle.features, storedWeightsHandler(BROWSER_WEIGHTS), { training });
  handle.source = 'browser';
}

/** HAF's attention summarized for the page: domain attention, mean modality attention, top positions. */
export function attentionSummary(data: WorkbenchData, why: AttentionExplanation): Explanation {
  const modality: Record<string, number> = {};
  for (const m of why.modality) for (const [name, w] of Object.entries(m.weights)) modality[name] = (modality[name] ?? 0) + w / why.modality.length;
  const { catalog } = data.dataset;
  const items = [...why.positions].sort((a, b) => b.weight - a.weight).slice(0, 3).map((p) => ({ itemId: catalog.id(p.item), weight: p.weight }));
  return { source: 'attention', domainWeights: why.views, ...(why.modality.length > 0 ? { modalityWeights: modality } : {}), items };
}

/** The attention a domain's picks were ranked with, summarized for the page (none without history). */
async function sharedAttention(data: WorkbenchData, source: AttentionSource, history: Int32Array, domain: number): Promise<{ shared?: Explanation }> {
  return history.length === 0 ? {} : { shared: attentionSummary(data, await source.attention(history, domain)) };
}

const ORIGIN = { browser: 'weights trained in this browser', shipped: 'shipped weights', scratch: 'being trained from scratch' } as const;
const FEATURES_NOTE = 'text features: lexical n-grams, not CLIP';

/** HAF alone, served as a bundle's HAF is (explainingHaf: one pass ranks, explains and gives the attention summary). */
export function hafWorkbenchModel(handle: HafHandle, data: WorkbenchData, backend: string): WorkbenchModel {
  const served = explainingHaf(handle.recommender, data.dataset.catalog);
  const insight = async (history: Int32Array, domain: number): Promise<DomainInsight> => ({ ...(await sharedAttention(data, served, history, domain)), picks: [] });
  return {
    // The handle outlives this view of it (training and model switches reuse it).
    recommender: withInsight(served, insight, false),
    backend,
    note: `HAF (${ORIGIN[handle.source]}; ${FEATURES_NOTE})`,
    dispose: () => undefined,
  };
}

/**
 * HAF plus the co-occurrence prior, exactly the eval CLI's `haf+cooccurrence` and a bundle's
 * blend (bundleRecommender): standardized HAF scores + DEFAULT_BLEND_WEIGHT x standardized log
 * co-occurrence scores. The prior is the dataset's co-occurrence manifest loaded by the
 * registry (workbench-manifests.ts), as a bundle's prior is loaded by the `haf` kind. Its insight:
 * HAF's attention for the domain (from the pass that ranked it) and, per pick, the history
 * items whose transitions voted.
 */
export async function blendWorkbenchModel(handle: HafHandle, data: WorkbenchData, backend: string): Promise<WorkbenchModel> {
  const { catalog } = data.dataset;
  const prior = await loadDatasetModel(data, 'cooccurrence');
  const blend = bundleRecommender(handle.recommender, prior, catalog, DEFAULT_BLEND_WEIGHT, 'haf+cooccurrence');
  const insight = async (history: Int32Array, domain: number, items: Int32Array): Promise<DomainInsight> => ({
    ...(await sharedAttention(data, blend, history, domain)),
    picks: cooccurrenceVoters(data, history, items).map((why) => (why.items.length > 0 ? why : undefined)),
  });
  return {
    // Never blend.dispose(): it would dispose the shared HAF handle's recommender.
    recommender: withInsight(blend, insight, false),
    backend,
    note: `HAF + co-occurrence prior (weight ${DEFAULT_BLEND_WEIGHT} on standardized log co-occurrence, chosen on valid; HAF ${ORIGIN[handle.source]}; ${FEATURES_NOTE})`,
    dispose: () => prior.dispose(),
  };
}

/** The workbench's view of each registry kind built on HAF. */
export const HAF_VIEWS: Readonly<Record<HafKindName, (handle: HafHandle, data: WorkbenchData, backend: string) => WorkbenchModel | Promise<WorkbenchModel>>> = {
  'haf+cooccurrence': blendWorkbenchModel,
  haf: hafWorkbenchModel,
};

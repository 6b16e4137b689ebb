import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../catalog/features.ts';
import { createLexicalEncoder } from '../embedding/lexical-encoder.ts';
import { createHafModel } from '../model/create.ts';
import { parseManifest, type HafManifest } from '../model/manifest.ts';
import { HafRecommender } from '../model/recommender.ts';
import { loadHaf, saveHaf } from '../model/weights-io.ts';
import type { HafModel } from '../model/model.ts';
import type { DemoData } from './demo-engine.ts';
import type { Explanation } from './demo-protocol.ts';
import type { DemoModel } from './demo-models.ts';

/** Where weights trained in this browser are kept. */
export const BROWSER_WEIGHTS = 'indexeddb://hafrec-demo-haf';
export const SHIPPED_FOLDER = 'haf-food-kitchen/';
/** The text features HAF uses on Food-Kitchen: lexical (hashed n-grams), not CLIP. */
export const DEMO_TEXT_DIM = 256;

export type WeightsSource = 'browser' | 'shipped' | 'scratch';

export interface HafHandle {
  readonly model: HafModel;
  readonly recommender: HafRecommender;
  readonly features: readonly FeatureTable[];
  source: WeightsSource;
}

const featureCache = new Map<number, FeatureTable>();

/** Lexical title features of the whole catalog (computed once per dimension in this worker). */
export function lexicalFeatures(data: DemoData, dim: number): FeatureTable {
  let table = featureCache.get(dim);
  if (!table) featureCache.set(dim, (table = createLexicalEncoder({ dim }).encodeCatalog(data.dataset.catalog)));
  return table;
}

function featuresFor(data: DemoData, manifest: HafManifest): FeatureTable[] {
  return manifest.features.map((f) => {
    const match = /^lexical-v1-d(\d+)$/.exec(f.encoder);
    if (f.modality !== 'text' || !match) {
      throw new Error(`the weights need ${f.modality} features from "${f.encoder}"; the demo can compute lexical-v1 text features only`);
    }
    return lexicalFeatures(data, Number(match[1]));
  });
}

async function browserWeightsExist(): Promise<boolean> {
  try {
    return BROWSER_WEIGHTS in (await tf.io.listModels());
  } catch {
    return false;
  }
}

async function readManifest(source: string): Promise<HafManifest> {
  const handler = tf.io.getLoadHandlers(source)[0] ?? tf.io.http(source);
  const artifacts = await handler.load!();
  return parseManifest((artifacts.userDefinedMetadata as { hafrec?: unknown } | undefined)?.hafrec);
}

/** Weights trained in this browser first, then the shipped ones (found without starting tfjs). */
export async function findWeights(modelUrl: string): Promise<[WeightsSource, string][]> {
  const sources: [WeightsSource, string][] = [];
  if (await browserWeightsExist()) sources.push(['browser', BROWSER_WEIGHTS]);
  const shipped = `${modelUrl}${SHIPPED_FOLDER}model.json`;
  const response = await fetch(shipped, { method: 'HEAD' }).catch(() => undefined);
  // Static servers with an SPA fallback answer 200 text/html for missing files.
  if (response?.ok && (response.headers.get('content-type') ?? '').includes('json')) sources.push(['shipped', shipped]);
  return sources;
}

/** The first of `sources` that loads and fits the catalog; undefined when none does. */
export async function loadHafHandle(data: DemoData, sources: readonly [WeightsSource, string][], log: (why: string) => void): Promise<HafHandle | undefined> {
  for (const [kind, source] of sources) {
    try {
      const features = featuresFor(data, await readManifest(source));
      const { model } = await loadHaf(source, data.dataset.catalog, features);
      return { model, recommender: new HafRecommender(model, data.dataset.catalog, { ownsModel: true }), features, source: kind };
    } catch (error) {
      log(`${kind} HAF weights (${source}) did not load: ${(error as Error).message}`);
    }
  }
  return undefined;
}

/** A fresh model to train from scratch: lexical text features, seeded initialization. */
export function createScratchHandle(data: DemoData, seed = 42): HafHandle {
  const features = [lexicalFeatures(data, DEMO_TEXT_DIM)];
  const model = createHafModel(data.dataset.catalog, { features, seed, train: data.dataset.train });
  return { model, recommender: new HafRecommender(model, data.dataset.catalog, { ownsModel: true }), features, source: 'scratch' };
}

export async function saveToBrowser(handle: HafHandle, data: DemoData, training: Record<string, unknown>): Promise<void> {
  await saveHaf(handle.model, data.dataset.catalog, handle.features, BROWSER_WEIGHTS, { training });
  handle.source = 'browser';
}

/** HAF's own account of a domain's picks: domain attention, modality attention, positions. */
export async function explainHaf(handle: HafHandle, data: DemoData, history: Int32Array, domain: number): Promise<Explanation> {
  if (history.length === 0) return { domainWeights: {}, items: [] };
  const why = await handle.recommender.explainAttention(history, domain);
  const modality: Record<string, number> = {};
  for (const m of why.modality) for (const [name, w] of Object.entries(m.weights)) modality[name] = (modality[name] ?? 0) + w / why.modality.length;
  const { catalog } = data.dataset;
  const items = [...why.positions].sort((a, b) => b.weight - a.weight).slice(0, 3).map((p) => ({ itemId: catalog.item(p.item).id, weight: p.weight }));
  return { domainWeights: why.views, ...(why.modality.length > 0 ? { modalityWeights: modality } : {}), items };
}

export function hafDemoModel(handle: HafHandle, data: DemoData, backend: string): DemoModel {
  return {
    recommender: handle.recommender,
    backend,
    explainsPerDomain: true,
    note: `HAF (${{ browser: 'weights trained in this browser', shipped: 'shipped weights', scratch: 'being trained from scratch' }[handle.source]}; text features: lexical n-grams, not CLIP)`,
    explain: async (history, domain, items) => {
      const shared = await explainHaf(handle, data, history, domain);
      return items.map(() => shared);
    },
    // The handle outlives this view of it (training and model switches reuse it).
    dispose: () => undefined,
  };
}

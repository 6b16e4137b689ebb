/**
 * The lazy half of the `haf` kind (its own chunk of the worker build): tfjs, the HAF model,
 * the lexical encoder. Loads a bundle's weights through a fetch, maps them to the shop's
 * catalog by item id, builds the content features from the catalog's titles and blends HAF
 * with the prior exactly as `npm run bundle` chose on valid.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import type { FeatureTable } from '../catalog/features.ts';
import { createLexicalEncoder } from '../embedding/lexical-encoder.ts';
import { createBlend } from '../eval/blend.ts';
import type { Recommender } from '../eval/recommender.ts';
import { HafRecommender, type Explanation } from '../model/recommender.ts';
import { loadHaf } from '../model/weights-io.ts';
import { reindexWeights } from '../model/weights-reindex.ts';
import type { ExplainingRecommender, PickReason } from './explain.ts';
import { lexicalDim, type HafBundleFile } from './haf-bundle-file.ts';
import type { ModelContext } from './model-registry.ts';

async function startBackend(context: ModelContext): Promise<void> {
  if (context.backend) {
    await context.backend();
    return;
  }
  const { startBrowserBackend } = await import('./haf-browser-backend.ts');
  await startBrowserBackend();
}

/** Feature tables of the shop's catalog, computed from its text (the bundle ships none). */
export function bundleFeatures(file: HafBundleFile, catalog: Catalog): FeatureTable[] {
  return file.features.map((f) => createLexicalEncoder({ dim: lexicalDim(f.encoder)! }).encodeCatalog(catalog));
}

/** HAF for the shop's catalog: rows by item id; items unknown to the weights from content only. */
export async function loadBundleHaf(context: ModelContext, file: HafBundleFile): Promise<HafRecommender> {
  await startBackend(context);
  const url = new URL(file.weights, context.url).href;
  const handler = tf.io.http(url, { fetchFunc: context.fetch, requestInit: { credentials: 'same-origin' } });
  const artifacts = await handler.load!();
  const fitted = reindexWeights(artifacts, file.ids, context.catalog);
  const { model } = await loadHaf(tf.io.fromMemory(fitted.artifacts), context.catalog, bundleFeatures(file, context.catalog));
  return new HafRecommender(model, context.catalog, { name: 'haf (bundle)' });
}

/** History positions (0 = oldest) of the attention's view items, in the order explain.ts lists them. */
function viewPositions(history: Int32Array, catalog: Catalog, domain: number, maxLength: number, mixed: boolean): number[] {
  const out: number[] = [];
  for (let p = Math.max(0, history.length - maxLength); p < history.length; p++) {
    if (mixed || catalog.domainOf[history[p]!] === domain) out.push(p);
  }
  return out;
}

/** The most-attended history position and the heaviest domain view of one explanation. */
export function attentionReason(why: Explanation, history: Int32Array, catalog: Catalog, domain: number, maxLength: number, mixed: boolean): PickReason | undefined {
  const positions = viewPositions(history, catalog, domain, maxLength, mixed);
  let best = -1;
  why.positions.forEach((p, i) => {
    if (best < 0 || p.weight > why.positions[best]!.weight) best = i;
  });
  if (best < 0 || positions[best] === undefined) return undefined;
  const views = Object.entries(why.views).filter(([name]) => name !== 'mixed').sort((a, b) => b[1] - a[1]);
  const top = views[0];
  return { position: positions[best]!, attention: why.positions[best]!.weight, ...(top ? { domain: top[0], domainWeight: top[1] } : {}) };
}

/**
 * z(HAF) + weight x z(log1p prior) over the target domain (createBlend), explained by HAF's
 * own attention: every pick of one request shares HAF's user vector, so they share its reason.
 */
export function bundleRecommender(haf: HafRecommender, prior: Recommender, catalog: Catalog, weight: number): ExplainingRecommender {
  const blend = createBlend('haf+cooccurrence (bundle)', catalog, [
    { recommender: haf, weight: 1, transform: 'z' },
    { recommender: prior, weight, transform: 'log-z' },
  ]);
  const { maxLength, singleDomain } = haf.model.config;
  return {
    ...blend,
    explain: async (history, domain, items) => {
      if (history.length === 0) return Array.from(items, () => undefined);
      const why = await haf.explainAttention(history, domain);
      const reason = attentionReason(why, history, catalog, domain, maxLength, !singleDomain);
      return Array.from(items, () => reason);
    },
  };
}

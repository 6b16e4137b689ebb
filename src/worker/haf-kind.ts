import type { Recommender } from '../eval/recommender.ts';
import { createCooccurrence } from '../eval/baselines/cooccurrence.ts';
import { AssetFetchError } from './errors.ts';
import { parseHafBundleFile, type HafBundleFile } from './haf-bundle-file.ts';
import { readCooccurrenceFile, type CooccurrenceFile } from './model-file.ts';
import type { ModelContext } from './model-registry.ts';

/**
 * The `haf` kind's entry in the model registry. It stays small: it reads the manifest and the
 * prior, and only when the bundle serves HAF does it import the HAF code and tfjs (a lazy
 * chunk of the worker build). A bundle whose valid scores chose the prior alone never
 * downloads tfjs at all.
 */
export async function fetchBundleJson(context: ModelContext, path: string): Promise<unknown> {
  const url = new URL(path, context.url).href;
  let response: Response;
  try {
    response = await context.fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new AssetFetchError('model', url, `network error (${(error as Error).message})`);
  }
  if (!response.ok) throw new AssetFetchError('model', url, `HTTP ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new AssetFetchError('model', url, 'the response is not valid JSON');
  }
}

/** The bundle's co-occurrence prior, re-indexed to the shop's catalog by item id. */
export async function loadPrior(context: ModelContext, file: HafBundleFile): Promise<Recommender> {
  const url = new URL(file.prior, context.url).href;
  const prior = (await fetchBundleJson(context, file.prior)) as CooccurrenceFile;
  const { table, popularity } = readCooccurrenceFile(prior, context.catalog, url);
  return createCooccurrence(context.catalog, table, popularity, prior.params);
}

export async function loadHafKind(context: ModelContext): Promise<Recommender> {
  const file = parseHafBundleFile(context.manifest, context.url);
  const prior = await loadPrior(context, file);
  if (file.blend.serves === 'prior') return { ...prior, name: 'cooccurrence (haf bundle: the prior scored higher on valid)' };
  try {
    const { loadBundleHaf, bundleRecommender } = await import('./haf-runtime.ts');
    const haf = await loadBundleHaf(context, file);
    return bundleRecommender(haf, prior, context.catalog, file.blend.weight);
  } catch (error) {
    prior.dispose();
    throw error;
  }
}

/**
 * The `haf` kind's entry in the model registry. It stays small: it reads the manifest and the
 * prior, and only when the bundle serves HAF does it import the HAF code and tfjs (a lazy
 * chunk of the worker build). A bundle whose valid scores chose the prior alone never
 * downloads tfjs at all.
 */
import type { Recommender } from '../eval/recommender.ts';
import { createCooccurrence } from '../eval/baselines/cooccurrence.ts';
import { ModelFormatError } from './errors.ts';
import { fetchBundleBytes, fetchBundleJson } from './bundle-fetch.ts';
import { decodePrior } from './prior-binary.ts';
import { isConfigurationError, priorInstead, withPriorFallback } from './prior-fallback.ts';
import { parseHafBundleFile, type HafBundleFile } from './haf-bundle-file.ts';
import { readCooccurrenceFile, reindexTable, type CooccurrenceFile } from './model-file.ts';
import type { ModelContext } from './model-context.ts';
import { reportingWholeDomain } from './whole-domain-info.ts';

/** The bundle's co-occurrence prior (binary prior.bin or a JSON cooccurrence file), re-indexed to the shop's catalog by item id. */
export async function loadPrior(context: ModelContext, file: HafBundleFile): Promise<Recommender> {
  const url = new URL(file.prior, context.url).href;
  if (file.prior.endsWith('.bin')) {
    const prior = decodePrior(await fetchBundleBytes(context, file.prior), url);
    if (prior.header.rows !== file.ids.length) throw new ModelFormatError(url, `has ${prior.header.rows} rows; the manifest lists ${file.ids.length} ids`);
    const { table, popularity } = reindexTable({ ids: file.ids, ...prior.table, popularity: prior.popularity }, context.catalog, url);
    return createCooccurrence(context.catalog, table, popularity, prior.header.params);
  }
  const prior = (await fetchBundleJson(context, file.prior)) as CooccurrenceFile;
  const { table, popularity } = readCooccurrenceFile(prior, context.catalog, url);
  return createCooccurrence(context.catalog, table, popularity, prior.params);
}

/** HAF's lazy runtime and the bundle's HAF, with its whole-domain pass chosen, loaded while the prior loads. */
async function startHaf(context: ModelContext, file: HafBundleFile) {
  const runtime = await import('./haf-runtime.ts');
  const haf = await runtime.loadBundleHaf(context, file);
  try {
    return { runtime, haf, wholeDomain: await runtime.chooseTagWholeDomain(haf, context.wholeDomain) };
  } catch (error) {
    haf.dispose();
    throw error;
  }
}

export async function loadHafKind(context: ModelContext): Promise<Recommender> {
  const file = parseHafBundleFile(context.manifest, context.url);
  if (file.blend.serves === 'prior') return { ...(await loadPrior(context, file)), name: 'cooccurrence (haf bundle: the prior scored higher on valid)' };
  const starting = startHaf(context, file);
  starting.catch(() => undefined);
  const prior = await loadPrior(context, file).catch(async (error: unknown) => {
    await starting.then(({ haf }) => haf.dispose(), () => undefined);
    throw error;
  });
  try {
    const { runtime, haf, wholeDomain } = await starting;
    const served = withPriorFallback(runtime.bundleRecommender(haf, prior, context.catalog, file.blend.weight), prior, (error) => console.warn('hafrec: HAF failed; serving the co-occurrence prior:', error));
    // After a fall back to the prior no whole-domain pass serves: info() then reports none.
    return reportingWholeDomain(served, () => (served.servingPrimary ? wholeDomain.current() : undefined));
  } catch (error) {
    // The runtime could not start (chunk or wasm unreachable, no backend): the prior serves.
    if (!isConfigurationError(error)) return priorInstead(prior, error);
    prior.dispose();
    throw error;
  }
}

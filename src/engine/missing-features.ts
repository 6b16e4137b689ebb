/**
 * Content features of the catalog items a `haf` bundle has no vector for (the shop's new
 * products), which then go through HAF's item tower. Lexical text features are computed here;
 * CLIP features through the lazy CLIP chunk (clip-missing.ts), only when there are such items
 * and the page names the bundle's checkpoint. Whatever cannot be computed stays absent (the
 * tower masks it; an item with nothing left gets the zero vector and the prior ranks it) and
 * is reported with console.warn and a typed error: never a failure of the whole recommender.
 */
import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog } from '../catalog/types.ts';
import { isNodeRuntime } from '../embedding/devices.ts';
import { createLexicalEncoder, parseLexicalEncoderId } from '../embedding/lexical-encoder.ts';
import { resolveModelSource } from '../embedding/model-source.ts';
import type { ClipFeaturesError } from './errors.ts';
import { absentTable, clipErrors } from './clip-gaps.ts';
import type { ClipBundleFeature, HafBundleFile, LexicalBundleFeature } from './haf-bundle-file.ts';
import type { ClipContext, ModelContext } from './model-context.ts';

export const warnClip = (error: ClipFeaturesError): void => console.warn(`hafrec: ${error.code}: ${error.message}`, error);

/** Lexical text features of `missing` catalog rows only (every other row absent). */
export function lexicalMissing(feature: LexicalBundleFeature, catalog: Catalog, missing: Int32Array): FeatureTable {
  const encoder = createLexicalEncoder(parseLexicalEncoderId(feature.encoder)!);
  const vectors = new Float32Array((catalog.size + 1) * encoder.dim);
  const present = new Uint8Array(catalog.size + 1);
  for (const i of missing) {
    const v = encoder.encodeItem(catalog.item(i));
    if (v) (vectors.set(v, i * encoder.dim), (present[i] = 1));
  }
  return { modality: 'text', encoder: encoder.id, dim: encoder.dim, vectors, present };
}

/** Why the page's checkpoint cannot embed for this bundle, or undefined when it can. */
export function clipProblem(clip: ClipContext | undefined, checkpoint: string, missing: number): ClipFeaturesError | undefined {
  if (!clip) return clipErrors.missing(checkpoint, missing);
  let given: string;
  try {
    given = resolveModelSource(clip, !isNodeRuntime(), clip.imageBase).id;
  } catch (error) {
    return clipErrors.failed(checkpoint, 'checkpoint', (error as Error).message);
  }
  return given === checkpoint ? undefined : clipErrors.mismatch(checkpoint, given);
}

async function clipMissing(context: ModelContext, features: readonly ClipBundleFeature[], missing: Int32Array): Promise<FeatureTable[]> {
  const absent = () => features.map((f) => absentTable(f, context.catalog.size));
  if (missing.length === 0) return absent();
  const checkpoint = features[0]!.encoder;
  const problem = clipProblem(context.clip, checkpoint, missing.length);
  if (problem) return (warnClip(problem), absent());
  try {
    const { embedMissingItems } = await import('./clip-missing.ts');
    return await embedMissingItems({ clip: context.clip!, features, catalog: context.catalog, missing, onError: warnClip });
  } catch (error) {
    // The chunk itself could not load (offline, blocked): the new items go without CLIP.
    warnClip(clipErrors.failed(checkpoint, features.map((f) => f.modality).join(' and '), (error as Error).message ?? String(error)));
    return absent();
  }
}

/** One table per bundle feature, present only for the `missing` rows that could be described. */
export async function missingFeatures(context: ModelContext, file: HafBundleFile, missing: Int32Array): Promise<FeatureTable[]> {
  const clip = file.features.filter((f): f is ClipBundleFeature => f.source === 'clip');
  const clipTables = clip.length > 0 ? await clipMissing(context, clip, missing) : [];
  return file.features.map((f) => (f.source === 'clip' ? clipTables.find((t) => t.modality === f.modality)! : lexicalMissing(f, context.catalog, missing)));
}

/**
 * Node-only: the feature tables saved HAF weights need, for `npm run bundle` and
 * `npm run train -- --features`. Lexical text features are computed from the catalog; CLIP
 * features (image and/or text, any `model@revision` encoder) come from a feature file written by
 * `npm run embed` for this very catalog. In the bundle's manifest a CLIP table is recorded with
 * its checkpoint as encoder and source "clip": the tag embeds new items with that checkpoint.
 */
import { readFile } from 'node:fs/promises';
import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog } from '../catalog/types.ts';
import { decodeFeatureFile } from '../embedding/feature-file.ts';
import { createLexicalEncoder, parseLexicalEncoderId } from '../embedding/lexical-encoder.ts';
import { FeatureMismatchError } from '../model/errors.ts';
import type { FeatureSpec } from '../model/manifest.ts';
import type { BundleFeature } from '../engine/haf-bundle-file.ts';

/** The decoded tables of a feature file, checked to be made for `catalog`'s item ids. */
export async function readFeatureTables(path: string, catalog: Catalog): Promise<readonly FeatureTable[]> {
  const bytes = await readFile(path);
  const file = await decodeFeatureFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), catalog);
  return file.tables;
}

function fromFile(spec: FeatureSpec, tables: readonly FeatureTable[] | undefined, featureFile: string | undefined): FeatureTable {
  const table = tables?.find((t) => t.modality === spec.modality);
  if (table && table.encoder === spec.encoder && table.dim === spec.dim) return table;
  const got = table ? `${featureFile} has ${table.modality} features from "${table.encoder}" (dim ${table.dim})` : featureFile ? `${featureFile} has no ${spec.modality} table` : 'no feature file was given';
  throw new FeatureMismatchError(
    `the weights need ${spec.modality} features from "${spec.encoder}" (dim ${spec.dim}); ${got}: give --features FILE, written by npm run embed with that model on this dataset`,
  );
}

/** One table per feature of the weights, in their order. */
export async function featureTablesFor(specs: readonly FeatureSpec[], catalog: Catalog, featureFile?: string): Promise<FeatureTable[]> {
  const tables = featureFile ? await readFeatureTables(featureFile, catalog) : undefined;
  return specs.map((spec) => {
    const lexical = spec.modality === 'text' ? parseLexicalEncoderId(spec.encoder) : undefined;
    return lexical ? createLexicalEncoder(lexical).encodeCatalog(catalog) : fromFile(spec, tables, featureFile);
  });
}

/** How the bundle's manifest records a feature of the weights. */
export function bundleFeatureOf(spec: FeatureSpec): BundleFeature {
  if (spec.modality === 'text' && parseLexicalEncoderId(spec.encoder)) return { modality: 'text', encoder: spec.encoder, source: 'catalog-text' };
  return { modality: spec.modality as BundleFeature['modality'], encoder: spec.encoder, source: 'clip', dim: spec.dim };
}

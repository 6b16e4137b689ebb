/**
 * What saved weights were made for: the catalog (name, size, domains, a hash of its item ids
 * in index order), the feature encoders and dimensions, and the model config. Loading checks
 * it before any tensor is built, so mismatched weights are a typed error, not garbage.
 */
import type { FeatureTable } from '../catalog/features.ts';
import type { Catalog } from '../catalog/types.ts';
import { catalogFingerprint, type CatalogFingerprint } from '../catalog/fingerprint.ts';
import { resolveConfig, type HafConfig } from './config.ts';
import { CatalogMismatchError, FeatureMismatchError, WeightsFormatError } from './errors.ts';

export const MANIFEST_FORMAT = 'hafrec-haf';
export const MANIFEST_VERSION = 1;

export interface FeatureSpec {
  readonly modality: string;
  readonly encoder: string;
  readonly dim: number;
}

export interface HafManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: number;
  readonly config: HafConfig;
  readonly catalog: CatalogFingerprint;
  readonly features: readonly FeatureSpec[];
  /** How tables were stored: 'float32', 'float16' or 'uint8' (affine, per tensor). */
  readonly quantization: string;
  /** Free-form provenance: training options, epochs, validation score, command. */
  readonly training?: Record<string, unknown>;
}


export function featureSpecs(config: HafConfig, features: readonly FeatureTable[]): FeatureSpec[] {
  return config.idOnly ? [] : features.map((f) => ({ modality: f.modality, encoder: f.encoder, dim: f.dim }));
}

export function buildManifest(
  config: HafConfig,
  catalog: Catalog,
  features: readonly FeatureTable[],
  quantization: string,
  training?: Record<string, unknown>,
): HafManifest {
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    config,
    catalog: catalogFingerprint(catalog),
    features: featureSpecs(config, features),
    quantization,
    ...(training ? { training } : {}),
  };
}

/** Parses and validates an untrusted manifest object. */
export function parseManifest(raw: unknown): HafManifest {
  const m = raw as Partial<HafManifest> | undefined;
  if (!m || m.format !== MANIFEST_FORMAT) {
    throw new WeightsFormatError(`not hafrec HAF weights: manifest format is ${JSON.stringify(m?.format)}, expected "${MANIFEST_FORMAT}"`);
  }
  if (m.version !== MANIFEST_VERSION) {
    throw new WeightsFormatError(`manifest version ${String(m.version)} is not supported: this build reads version ${MANIFEST_VERSION}`);
  }
  if (!m.catalog || !Array.isArray(m.features) || !m.config) throw new WeightsFormatError('manifest lacks catalog, features or config');
  return { ...(m as HafManifest), config: resolveConfig(m.config) };
}

/** Throws CatalogMismatchError / FeatureMismatchError when the weights do not fit. */
export function checkCompatible(manifest: HafManifest, catalog: Catalog, features: readonly FeatureTable[]): void {
  const here = catalogFingerprint(catalog);
  const saved = manifest.catalog;
  if (saved.name !== here.name || saved.size !== here.size || saved.idHash !== here.idHash || saved.domains.join('\u0000') !== here.domains.join('\u0000')) {
    throw new CatalogMismatchError(
      `weights were trained for catalog "${saved.name}" (${saved.size} items, domains ${saved.domains.join('/')}, id hash ${saved.idHash}); ` +
        `this catalog is "${here.name}" (${here.size} items, domains ${here.domains.join('/')}, id hash ${here.idHash})`,
    );
  }
  const given = featureSpecs(manifest.config, features);
  for (const need of manifest.features) {
    const got = given.find((f) => f.modality === need.modality);
    if (!got || got.encoder !== need.encoder || got.dim !== need.dim) {
      throw new FeatureMismatchError(
        `weights need ${need.modality} features from encoder "${need.encoder}" (dim ${need.dim}); ` +
          (got ? `got "${got.encoder}" (dim ${got.dim})` : `none were given`),
      );
    }
  }
  const extra = given.filter((g) => !manifest.features.some((f) => f.modality === g.modality));
  if (extra.length > 0) {
    throw new FeatureMismatchError(
      `weights were trained without ${extra.map((e) => e.modality).join(', ')} features; give only: ${manifest.features.map((f) => f.modality).join(', ') || 'none (ID-only)'}`,
    );
  }
}

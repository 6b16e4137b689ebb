import { ModelFormatError } from './errors.ts';
import type { ModelFileBase } from './model-file.ts';
import { parseLexicalEncoderId } from '../embedding/lexical-encoder.ts';

/**
 * The `haf` model kind: a manifest that points at the files of a bundle (written by
 * `npm run bundle`, read by the storefront worker and `npm run eval -- --model bundle`).
 * `ids[r - 1]` is the item id of row r of the HAF weights; the loader maps rows to the
 * shop's catalog by id, and catalog items without a row are scored from their content.
 */
export const SERVES = ['haf+prior', 'prior'] as const;
export type Serves = (typeof SERVES)[number];

/** One candidate of the blend-weight grid with its valid scores; weight null = the prior alone. */
export interface BlendCandidate {
  readonly weight: number | null;
  readonly sampledNdcg10: number;
  readonly fullNdcg10?: number;
}

export interface BlendChoice {
  /** 'haf+prior': z(HAF) + weight x z(log1p prior); 'prior': the co-occurrence prior alone. */
  readonly serves: Serves;
  readonly weight: number;
  /** Always 'valid': the test split is never read to choose. */
  readonly split: 'valid';
  readonly metric: string;
  readonly rule: string;
  readonly candidates: readonly BlendCandidate[];
}

/** A feature table the worker computes itself from the catalog (no feature file to fetch). */
export interface BundleFeature {
  readonly modality: 'text';
  readonly encoder: string;
  readonly source: 'catalog-text';
}

export interface HafBundleFile extends ModelFileBase {
  readonly kind: 'haf';
  /** tfjs model.json of the HAF weights, relative to this manifest. */
  readonly weights: string;
  /**
   * HAF's item vectors computed ahead (item-table-binary.ts), relative to this manifest; the
   * weights then hold no `item.id` table. Absent: the worker runs the item tower on every item.
   */
  readonly items?: string;
  readonly quantization: string;
  readonly features: readonly BundleFeature[];
  /** A `cooccurrence` model file (the prior), relative to this manifest. */
  readonly prior: string;
  readonly blend: BlendChoice;
}


/** Validates the `haf` fields (the envelope was checked by loadModel). */
export function parseHafBundleFile(manifest: Record<string, unknown>, url: string): HafBundleFile {
  const fail = (problem: string): never => {
    throw new ModelFormatError(url, problem);
  };
  const m = manifest as Partial<HafBundleFile>;
  if (typeof m.weights !== 'string' || m.weights === '') fail('"weights" must be the path of the HAF weights\' model.json');
  if (typeof m.prior !== 'string' || m.prior === '') fail('"prior" must be the path of a cooccurrence model file');
  if (m.items !== undefined && (typeof m.items !== 'string' || m.items === '')) fail('"items" must be the path of an item table (haf/items.bin) when present');
  if (!Array.isArray(m.features)) fail('"features" must be an array of { modality, encoder, source }');
  for (const f of m.features!) {
    if (f?.modality !== 'text' || f.source !== 'catalog-text' || parseLexicalEncoderId(String(f.encoder)) === undefined) {
      fail(`feature ${JSON.stringify(f)} is not supported: valid is { "modality": "text", "encoder": "lexical-v1-d<dim>[-s<seed>]", "source": "catalog-text" }`);
    }
  }
  const b = m.blend;
  if (!b || !(SERVES as readonly string[]).includes(b.serves) || typeof b.weight !== 'number' || !Number.isFinite(b.weight) || b.weight < 0) {
    fail(`"blend" must be { "serves": ${SERVES.map((s) => `"${s}"`).join(' | ')}, "weight": number >= 0, ... }`);
  }
  return m as HafBundleFile;
}

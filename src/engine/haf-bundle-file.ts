import { ModelFormatError } from './errors.ts';
import type { ModelFileBase } from './model-file.ts';
import { parseLexicalEncoderId } from '../embedding/lexical-encoder.ts';
import { MODALITIES, type Modality } from '../catalog/features.ts';

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
export interface LexicalBundleFeature {
  readonly modality: 'text';
  readonly encoder: string;
  readonly source: 'catalog-text';
}

/**
 * CLIP features (title: 'text', picture: 'image'): the bundle's own items come with their item
 * vectors computed ahead (items.bin); items it lacks are embedded in the worker by the CLIP
 * checkpoint the page names (data-clip), which must be `encoder` (CLIP's `model@revision` id).
 */
export interface ClipBundleFeature {
  readonly modality: Modality;
  readonly encoder: string;
  readonly source: 'clip';
  readonly dim: number;
}

export type BundleFeature = LexicalBundleFeature | ClipBundleFeature;
export const FEATURE_SOURCES = ['catalog-text', 'clip'] as const;

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

const VALID_FEATURES =
  '{ "modality": "text", "encoder": "lexical-v1-d<dim>[-s<seed>]", "source": "catalog-text" } or ' +
  `{ "modality": ${MODALITIES.map((x) => `"${x}"`).join(' | ')}, "encoder": "<CLIP model>@<revision>", "source": "clip", "dim": integer >= 1 }`;

function validFeature(f: Partial<BundleFeature> | undefined): boolean {
  if (f?.source === 'catalog-text') return f.modality === 'text' && parseLexicalEncoderId(String(f.encoder)) !== undefined;
  if (f?.source !== 'clip') return false;
  const { modality, encoder, dim } = f as Partial<ClipBundleFeature>;
  return MODALITIES.includes(modality as Modality) && typeof encoder === 'string' && /^.+@[^@]+$/.test(encoder) && Number.isInteger(dim) && dim! >= 1;
}

/** One CLIP checkpoint per bundle, one table per modality, and the bundle's own item vectors shipped. */
function checkClipFeatures(features: readonly BundleFeature[], items: string | undefined, fail: (problem: string) => never): void {
  const clip = features.filter((f): f is ClipBundleFeature => f.source === 'clip');
  if (clip.length === 0) return;
  const encoders = [...new Set(clip.map((f) => f.encoder))];
  if (encoders.length > 1) fail(`CLIP features come from ${encoders.join(' and ')}; valid is one CLIP checkpoint per bundle`);
  if (new Set(features.map((f) => f.modality)).size !== features.length) fail('"features" lists a modality twice; valid is one table per modality (text, image)');
  if (items === undefined) fail('CLIP features need "items" (haf/items.bin, the bundle\'s item vectors computed ahead): a visit must not run CLIP on the bundle\'s own items');
}

/** The CLIP checkpoint (`model@revision`) a bundle's features come from, if any. */
export function clipCheckpointOf(file: Pick<HafBundleFile, 'features'>): string | undefined {
  return file.features.find((f) => f.source === 'clip')?.encoder;
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
  for (const f of m.features!) if (!validFeature(f)) fail(`feature ${JSON.stringify(f)} is not supported: valid is ${VALID_FEATURES}`);
  checkClipFeatures(m.features!, m.items, fail);
  const b = m.blend;
  if (!b || !(SERVES as readonly string[]).includes(b.serves) || typeof b.weight !== 'number' || !Number.isFinite(b.weight) || b.weight < 0) {
    fail(`"blend" must be { "serves": ${SERVES.map((s) => `"${s}"`).join(' | ')}, "weight": number >= 0, ... }`);
  }
  return m as HafBundleFile;
}

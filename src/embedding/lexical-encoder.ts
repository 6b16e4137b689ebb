/**
 * Zero-download text encoder: hashed word unigrams, word bigrams and boundary-marked
 * character 3-5-grams, sublinear tf, signed feature hashing into `dim` buckets, L2-normalized.
 *
 * Signed hashing is itself a fixed random projection of the (unbounded) n-gram space onto
 * `dim` dimensions: inner products are preserved in expectation, and the same text gives the
 * same bits in Node and every browser because the hash runs on UTF-16 code units with 32-bit
 * integer arithmetic only. This is not CLIP: results that use it must say "lexical".
 */
import type { Catalog, Item } from '../catalog/types.ts';
import type { FeatureTable } from '../catalog/features.ts';
import { UnsupportedEncoderError } from './errors.ts';

export const LEXICAL_VERSION = 'lexical-v1';
export const LEXICAL_DEFAULT_DIM = 256;
export const LEXICAL_MIN_DIM = 8;
export const LEXICAL_MAX_DIM = 65_536;

export interface LexicalEncoderOptions {
  /** Output dimension (default 256); any integer in 8..65536. */
  readonly dim?: number;
  /** Hash seed (default 0); a different seed is a different, equally valid projection. */
  readonly seed?: number;
}

export interface LexicalEncoder {
  /** Stable identity that goes into manifests, e.g. "lexical-v1-d256" (seed appended when non-zero). */
  readonly id: string;
  readonly dim: number;
  /** L2-normalized vector, or undefined when the text has no tokens (never a zero vector). */
  encode(text: string): Float32Array | undefined;
  /** Title (weight 1) plus description (weight 1/2); undefined when neither has tokens. */
  encodeItem(item: Item): Float32Array | undefined;
  /** Text features of every item, modality 'text'; items without tokens are absent. */
  encodeCatalog(catalog: Catalog): FeatureTable;
}

/** Share of the squared norm each feature family gets before the final normalization. */
const FAMILY_SHARE = { word: 0.4, bigram: 0.2, char: 0.4 } as const;
type Family = keyof typeof FAMILY_SHARE;
const FAMILIES = Object.keys(FAMILY_SHARE) as Family[];
const DESCRIPTION_WEIGHT = 0.5;
const CHAR_MIN = 3;
const CHAR_MAX = 5;

/** Lowercased, accent-stripped runs of letters and digits. */
export function lexicalTokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Term weights of every n-gram of one text, by family; `weight` scales each occurrence. */
function addFeatures(text: string, weight: number, into: Record<Family, Map<string, number>>): void {
  const tokens = lexicalTokens(text);
  const bump = (family: Family, key: string): void => {
    const map = into[family];
    map.set(key, (map.get(key) ?? 0) + weight);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    bump('word', token);
    if (i + 1 < tokens.length) bump('bigram', `${token} ${tokens[i + 1] as string}`);
    const marked = `<${token}>`;
    for (let n = CHAR_MIN; n <= CHAR_MAX; n++) {
      for (let s = 0; s + n <= marked.length; s++) bump('char', marked.slice(s, s + n));
    }
  }
}

/** FNV-1a over UTF-16 code units, seeded, then murmur3's fmix32 so every bit is mixed. */
export function hash32(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Adds one family's sublinear-tf, signed-hashed, unit-norm block scaled by sqrt(share). */
function projectFamily(
  terms: Map<string, number>,
  family: Family,
  seed: number,
  out: Float64Array,
): boolean {
  if (terms.size === 0) return false;
  const block = new Float64Array(out.length);
  const prefix = family.charAt(0);
  for (const [term, tf] of terms) {
    const h = hash32(`${prefix}\u0001${term}`, seed);
    const sign = h & 1 ? -1 : 1;
    block[(h >>> 1) % out.length]! += sign * Math.log1p(tf);
  }
  let norm = 0;
  for (let i = 0; i < block.length; i++) norm += block[i]! * block[i]!;
  if (norm === 0) return false;
  const scale = Math.sqrt(FAMILY_SHARE[family] / norm);
  for (let i = 0; i < block.length; i++) out[i]! += block[i]! * scale;
  return true;
}

function encodeParts(
  parts: readonly (readonly [string | undefined, number])[],
  dim: number,
  seed: number,
): Float32Array | undefined {
  const terms: Record<Family, Map<string, number>> = { word: new Map(), bigram: new Map(), char: new Map() };
  for (const [text, weight] of parts) if (text) addFeatures(text, weight, terms);
  const acc = new Float64Array(dim);
  let any = false;
  for (const family of FAMILIES) any = projectFamily(terms[family], family, seed, acc) || any;
  if (!any) return undefined;
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += acc[i]! * acc[i]!;
  // Hash collisions with opposite signs can cancel a tiny text exactly; that is still "no signal".
  if (!(norm > 0)) return undefined;
  const inv = 1 / Math.sqrt(norm);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = acc[i]! * inv;
  return out;
}

function checkOptions(options: LexicalEncoderOptions): { dim: number; seed: number } {
  const dim = options.dim ?? LEXICAL_DEFAULT_DIM;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(dim) || dim < LEXICAL_MIN_DIM || dim > LEXICAL_MAX_DIM) {
    throw new RangeError(
      `lexical encoder dim ${String(dim)} is invalid: use an integer in ${LEXICAL_MIN_DIM}..${LEXICAL_MAX_DIM}`,
    );
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`lexical encoder seed ${String(seed)} is invalid: use an integer in 0..4294967295`);
  }
  return { dim, seed };
}

/**
 * The options behind an encoder id ("lexical-v1-d256", "lexical-v1-d64-s7"), or undefined for
 * an id that is not a lexical encoder's: the one place that reads ids back.
 */
export function parseLexicalEncoderId(id: string): { readonly dim: number; readonly seed: number } | undefined {
  const match = new RegExp(`^${LEXICAL_VERSION}-d(\\d+)(?:-s(\\d+))?$`).exec(id);
  if (!match) return undefined;
  const options = { dim: Number(match[1]), seed: Number(match[2] ?? 0) };
  try {
    checkOptions(options);
  } catch {
    return undefined;
  }
  return options;
}

/**
 * The lexical encoder options of each feature a model needs, in order; an
 * UnsupportedEncoderError names the first one that is not a lexical text encoder.
 */
export function lexicalOptionsFor(
  features: readonly { readonly modality: string; readonly encoder: string }[],
  where: string,
): { readonly dim: number; readonly seed: number }[] {
  return features.map((f) => {
    const options = f.modality === 'text' ? parseLexicalEncoderId(f.encoder) : undefined;
    if (!options) throw new UnsupportedEncoderError(f.modality, f.encoder, where);
    return options;
  });
}

export function createLexicalEncoder(options: LexicalEncoderOptions = {}): LexicalEncoder {
  const { dim, seed } = checkOptions(options);
  const id = `${LEXICAL_VERSION}-d${dim}${seed === 0 ? '' : `-s${seed}`}`;
  const encode = (text: string): Float32Array | undefined => encodeParts([[text, 1]], dim, seed);
  const encodeItem = (item: Item): Float32Array | undefined =>
    encodeParts(
      [
        [item.title, 1],
        [item.description, DESCRIPTION_WEIGHT],
      ],
      dim,
      seed,
    );
  const encodeCatalog = (catalog: Catalog): FeatureTable => {
    const vectors = new Float32Array((catalog.size + 1) * dim);
    const present = new Uint8Array(catalog.size + 1);
    for (let i = 1; i <= catalog.size; i++) {
      const v = encodeItem(catalog.item(i));
      if (!v) continue;
      vectors.set(v, i * dim);
      present[i] = 1;
    }
    return { modality: 'text', encoder: id, dim, vectors, present };
  };
  return { id, dim, encode, encodeItem, encodeCatalog };
}

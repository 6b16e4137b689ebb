/**
 * What the fused pass's kernels share: the per-call parameters (one uniform buffer written
 * before each submit; read as uniform values, so loops over them may hold barriers), and the
 * layout of the request buffer (view lengths, view items, excluded positions).
 */

/** Words of the uniform Params struct (32 bytes). */
export const PARAM_WORDS = 8;

export const PARAMS_WGSL = /* wgsl */ `
struct Params {
  domain: u32,       // target domain
  n: u32,            // items in the domain
  tableAt: u32,      // offset of the domain's [d, n] block in the transposed tables
  k: u32,            // top-k size
  excludeCount: u32, // excluded domain positions in the request buffer
  partials: u32,     // candidates the top-k merge reads
  pad0: u32,
  pad1: u32,
}
`;

/** Per-call parameters, in Params order. */
export interface CallParams {
  readonly domain: number;
  readonly n: number;
  readonly tableAt: number;
  readonly k: number;
  readonly excludeCount: number;
  readonly partials: number;
}

export function paramWords(p: CallParams): Uint32Array {
  return Uint32Array.of(p.domain, p.n, p.tableAt, p.k, p.excludeCount, p.partials, 0, 0);
}

/**
 * Request buffer (u32): [V] rows of each view (0: empty or no encoder), [V, L] each view's
 * items oldest first, then the excluded domain positions.
 */
export const excludeAt = (views: number, maxLength: number): number => views + views * maxLength;

/** Floats of one view's scratch: h, n, ctx, f [L, d], qkv [L, 3d], attention [L, L]. */
export const scratchFloats = (d: number, maxLength: number): number => maxLength * (7 * d + maxLength);

/**
 * Floats of the explanation buffer, read back after a call's scores or top-k: the domain
 * attention over the views [V], then the explained view's last-block attention row of its
 * query [L] (its first t floats, t = that view's rows in the request).
 */
export const explainFloats = (views: number, maxLength: number): number => views + maxLength;

/** Lowest finite float32: the score of padding and excluded slots in the top-k kernels. */
export const LOWEST = -3.4028234663852886e38;
/** Index of padding and excluded slots. */
export const NONE = 0xffffffff;

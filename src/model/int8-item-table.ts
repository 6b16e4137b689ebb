/**
 * A whole catalog's item vectors served as int8 rows (int8-rows.ts), one int8 scorer per
 * domain holding that domain's rows in catalog.domainItems order: a whole-domain ranking is
 * one kernel pass over the domain, and a history's rows are dequantized on demand from the
 * same copy. Nothing of catalog size is ever float32: a million items at d = 64 is ~65 MB
 * instead of ~250 MB per float copy.
 */
import type { Catalog } from '../catalog/types.ts';
import { UnknownItemError } from '../catalog/errors.ts';
import { domainPositions } from '../catalog/catalog.ts';
import { ModelError } from './errors.ts';
import type { Int8Rows } from './int8-rows.ts';
import { createInt8Scorer, type Int8Scorer, type Int8ScorerOptions } from './int8-scorer.ts';

/** What an int8 item table is made of. */
export interface Int8ItemTableParts {
  /** Per domain: the rows of catalog.domainItems[domain], in that order. */
  readonly domains: readonly Int8Rows[];
  /** [(size + 1) * modalities] modality weights x 255 in catalog order; absent when ID-only. */
  readonly alpha?: Uint8Array;
  /** Columns of `alpha` (1 + content modalities); 0 without it. */
  readonly modalities: number;
}

export class Int8ItemTable {
  readonly dim: number;
  private scorers: Int8Scorer[];
  /** [size + 1] row of catalog index i in its domain's scorer; -1 at padding. */
  private readonly position: Int32Array;
  private readonly alphaRows: Uint8Array | undefined;
  private readonly modalities: number;

  constructor(
    private readonly catalog: Catalog,
    parts: Int8ItemTableParts,
    options: Int8ScorerOptions = {},
  ) {
    if (parts.domains.length !== catalog.domains.length || parts.domains.some((rows, t) => rows.rows !== catalog.domainItems[t]!.length)) {
      throw new ModelError(`Int8ItemTable: need one table per domain with one row per item (${catalog.domainItems.map((d) => d.length).join(', ')})`);
    }
    this.dim = parts.domains[0]?.dim ?? 0;
    this.position = domainPositions(catalog);
    // Each scorer copies its rows into its own memory; `parts` can be dropped after this.
    this.scorers = parts.domains.map((rows) => createInt8Scorer(rows, options));
    this.alphaRows = parts.alpha;
    this.modalities = parts.alpha ? parts.modalities : 0;
  }

  /** 'wasm-simd' or 'js' (the first domain's; every domain loads the same way). */
  get kernel(): Int8Scorer['kernel'] {
    return this.live()[0]?.kernel ?? 'js';
  }

  /** Bytes the scorers hold (the int8 rows, their scales and score buffers) plus the modality weights. */
  get bytes(): number {
    return this.live().reduce((n, s) => n + s.bytes, 0) + (this.alphaRows?.byteLength ?? 0);
  }

  /** [items.length, dim] float vectors of catalog rows (row 0, padding, is zeros). */
  vectors(items: ArrayLike<number>): Float32Array {
    const scorers = this.live();
    const out = new Float32Array(items.length * this.dim);
    for (let i = 0; i < items.length; i++) {
      const item = this.checked(items[i]!);
      if (item === 0) continue;
      out.set(scorers[this.catalog.domainOf[item]!]!.rowsOf([this.position[item]!]), i * this.dim);
    }
    return out;
  }

  /** [items.length, modalities] modality weights of catalog rows, or undefined when ID-only. */
  alpha(items: ArrayLike<number>): Float32Array | undefined {
    const raw = this.alphaRows;
    if (!raw) return undefined;
    const p = this.modalities;
    const out = new Float32Array(items.length * p);
    for (let i = 0; i < items.length; i++) {
      const item = this.checked(items[i]!);
      for (let j = 0; j < p; j++) out[i * p + j] = raw[item * p + j]! / 255;
    }
    return out;
  }

  /** [domainItems[domain].length] int8 scores of every item of `domain` against `user` [dim]. */
  scoreDomain(domain: number, user: Float32Array): Float32Array {
    return this.live()[domain]!.score(user);
  }

  /** [items.length] float dot products of the items' (dequantized) rows with `user` [dim]. */
  scoreItems(items: ArrayLike<number>, user: Float32Array): Float32Array {
    const rows = this.vectors(items);
    return Float32Array.from({ length: items.length }, (_, i) => dot(rows, i * this.dim, user, this.dim));
  }

  dispose(): void {
    this.scorers.forEach((s) => s.dispose());
    this.scorers = [];
  }

  private live(): Int8Scorer[] {
    if (this.scorers.length === 0 && this.catalog.domains.length > 0) throw new ModelError('Int8ItemTable: used after dispose()');
    return this.scorers;
  }

  private checked(item: number): number {
    if (!(Number.isInteger(item) && item >= 0 && item <= this.catalog.size)) throw new UnknownItemError(item, this.catalog.size);
    return item;
  }
}

function dot(rows: Float32Array, at: number, user: Float32Array, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += rows[at + j]! * user[j]!;
  return s;
}

/**
 * Item ID embeddings started from the training log's co-occurrence, not from noise. A store
 * with few interactions per shopper gives the attention layers little sequence to learn
 * from, and random ID rows of items seen a handful of times stay near noise; rows started
 * from the top eigenvectors of the items' PPMI co-occurrence matrix (the factorization
 * word2vec-style item embeddings approximate, Levy & Goldberg 2014) already place items
 * bought together close, and training refines them. Only training sequences are read.
 */
import type { Sequence } from '../catalog/types.ts';
import { createRng } from './rng.ts';

/** Symmetric sparse matrix over item indices 0..n-1 (CSR). */
interface Csr {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

/** Items within this many steps of each other in a sequence co-occur (weight 1 / gap). */
const WINDOW = 3;
const POWER_STEPS = 6;
const OVERSAMPLE = 8;
/** Mean row norm relative to the random initializer's (0.05 per value): measured on valid, see docs/model.md. */
export const COOCCURRENCE_INIT_SCALE = 4;

/** Positive pointwise mutual information of windowed co-occurrence counts. */
export function cooccurrencePpmi(train: readonly Sequence[], size: number): Csr {
  const n = size + 1;
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const add = (i: number, j: number, w: number): void => void rows[i]!.set(j, (rows[i]!.get(j) ?? 0) + w);
  for (const { items } of train) {
    for (let a = 0; a < items.length; a++) {
      for (let g = 1; g <= WINDOW && a + g < items.length; g++) {
        const i = items[a]!;
        const j = items[a + g]!;
        if (i === j || i === 0 || j === 0) continue;
        add(i, j, 1 / g);
        add(j, i, 1 / g);
      }
    }
  }
  const sums = rows.map((r) => [...r.values()].reduce((s, w) => s + w, 0));
  const total = sums.reduce((s, w) => s + w, 0);
  const offsets = new Int32Array(n + 1);
  const columns: number[] = [];
  const values: number[] = [];
  rows.forEach((r, i) => {
    offsets[i] = columns.length;
    for (const [j, w] of r) {
      const pmi = Math.log((w * total) / (sums[i]! * sums[j]!));
      if (pmi > 0) (columns.push(j), values.push(pmi));
    }
  });
  offsets[n] = columns.length;
  return { n, offsets, columns: Int32Array.from(columns), values: Float64Array.from(values) };
}

/** M x for x of k columns, row-major [n, k]. */
function multiply(m: Csr, x: Float64Array, k: number): Float64Array {
  const y = new Float64Array(m.n * k);
  for (let i = 0; i < m.n; i++) {
    for (let e = m.offsets[i]!; e < m.offsets[i + 1]!; e++) {
      const v = m.values[e]!;
      const from = m.columns[e]! * k;
      for (let c = 0; c < k; c++) y[i * k + c]! += v * x[from + c]!;
    }
  }
  return y;
}

/** Gram-Schmidt on the k columns of y [n, k], in place. */
function orthonormalize(y: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += y[i * k + c]! * y[i * k + p]!;
      for (let i = 0; i < n; i++) y[i * k + c]! -= dot * y[i * k + p]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += y[i * k + c]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) y[i * k + c]! /= norm;
  }
}

/** Eigenvalues and eigenvectors (columns of v) of a small symmetric matrix, by cyclic Jacobi rotations. */
export function jacobiEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const k = a.length;
  const t = a.map((row) => [...row]);
  const v = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  const rotate = (m: number[][], p: number, r: number, c: number, s: number, rows: boolean): void => {
    for (let x = 0; x < k; x++) {
      const [a1, b1] = rows ? [m[p]![x]!, m[r]![x]!] : [m[x]![p]!, m[x]![r]!];
      if (rows) (m[p]![x] = c * a1 - s * b1), (m[r]![x] = s * a1 + c * b1);
      else (m[x]![p] = c * a1 - s * b1), (m[x]![r] = s * a1 + c * b1);
    }
  };
  for (let sweep = 0; sweep < 50; sweep++) {
    for (let p = 0; p < k; p++) {
      for (let r = p + 1; r < k; r++) {
        if (Math.abs(t[p]![r]!) < 1e-12) continue;
        const theta = 0.5 * Math.atan2(2 * t[p]![r]!, t[r]![r]! - t[p]![p]!);
        const [c, s] = [Math.cos(theta), Math.sin(theta)];
        rotate(t, p, r, c, s, false);
        rotate(t, p, r, c, s, true);
        rotate(v, p, r, c, s, false);
      }
    }
  }
  return { values: t.map((row, i) => row[i]!), vectors: v };
}

/**
 * `dim` columns per item: the top eigenvectors of M scaled by sqrt(eigenvalue) (randomized
 * subspace iteration, then Rayleigh-Ritz), rows [n, dim].
 */
export function topEigenEmbedding(m: Csr, dim: number, seed: number): Float64Array {
  const k = dim + OVERSAMPLE;
  const rng = createRng(seed);
  let q: Float64Array = Float64Array.from({ length: m.n * k }, () => rng.normal());
  for (let step = 0; step < POWER_STEPS; step++) {
    q = multiply(m, q, k);
    orthonormalize(q, m.n, k);
  }
  const mq = multiply(m, q, k);
  const small = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => {
    let s = 0;
    for (let i = 0; i < m.n; i++) s += q[i * k + a]! * mq[i * k + b]!;
    return s;
  }));
  const { values, vectors } = jacobiEigen(small);
  const top = values.map((_, a) => a).sort((a, b) => values[b]! - values[a]!).slice(0, dim);
  const out = new Float64Array(m.n * dim);
  for (let i = 0; i < m.n; i++) {
    top.forEach((a, c) => {
      let s = 0;
      for (let x = 0; x < k; x++) s += q[i * k + x]! * vectors[x]![a]!;
      out[i * dim + c] = s * Math.sqrt(Math.max(values[a]!, 0));
    });
  }
  return out;
}

export interface ItemInit {
  /** [size + 1, dim] rows to start from. */
  readonly rows: Float32Array;
  /** [size + 1] 1 where the row comes from co-occurrence (the item co-occurred in train). */
  readonly has: Uint8Array;
}

/** Co-occurrence rows for items that co-occur in `train`, scaled to COOCCURRENCE_INIT_SCALE x the random rows' norm. */
export function cooccurrenceItemInit(train: readonly Sequence[], size: number, dim: number, seed = 7): ItemInit {
  const m = cooccurrencePpmi(train, size);
  const has = Uint8Array.from({ length: m.n }, (_, i) => (m.offsets[i + 1]! > m.offsets[i]! ? 1 : 0));
  const embedding = topEigenEmbedding(m, dim, seed);
  let norms = 0;
  let count = 0;
  for (let i = 0; i < m.n; i++) {
    if (!has[i]) continue;
    let s = 0;
    for (let c = 0; c < dim; c++) s += embedding[i * dim + c]! ** 2;
    norms += Math.sqrt(s);
    count++;
  }
  const scale = count === 0 ? 0 : (COOCCURRENCE_INIT_SCALE * 0.05 * Math.sqrt(dim)) / (norms / count || 1);
  return { rows: Float32Array.from(embedding, (x) => x * scale), has };
}

import type { Recommender } from './recommender.ts';
import { transformScores, type BlendTransform, type Moments } from './standardize.ts';

/**
 * A whole domain's scores as a per-domain base that does not depend on the request, plus
 * the few items a request changes: what the co-occurrence prior computes (popularity, then a
 * history's votes). A blend transforms a base and sums its moments once, and per request
 * touches only the changed items, instead of copying, transforming and summing a million.
 */
export interface BaseScores {
  /** [domain items] in domainItems order; the same array on every call for a domain: never written. */
  readonly base: Float32Array;
  /** Positions in the domain whose score is not the base's (each once). */
  readonly changed: Int32Array;
  /** [changed.length] their scores. */
  readonly values: Float32Array;
}

/** A recommender whose whole-domain score() equals base with `changed` set to `values`. */
export interface BaseScorer extends Recommender {
  domainScores(history: Int32Array, domain: number): BaseScores;
}

export const hasBaseScores = (r: Recommender): r is BaseScorer => typeof (r as Partial<BaseScorer>).domainScores === 'function';

interface Transformed {
  readonly x: Float32Array;
  /** Sums of x - shift and of its squares, over the whole base. */
  readonly shift: number;
  readonly sum: number;
  readonly squares: number;
}

/** A term ready for the fused blend: x with a request's changes written in, until restore(). */
export interface BaseTerm extends Moments {
  readonly x: Float32Array;
  restore(): void;
}

/** One blend part's transformed bases, by base array (one per domain, made on first use). */
export class BaseTransforms {
  private readonly byBase = new WeakMap<Float32Array, Transformed>();

  constructor(private readonly transform: BlendTransform) {}

  /** The request's transformed scores and their moments (as moments() of them, to float64 rounding); call restore() when done. */
  term({ base, changed, values }: BaseScores): BaseTerm {
    const t = this.transformed(base);
    const { x, shift } = t;
    let { sum, squares } = t;
    const kept = Float32Array.from(changed, (j) => x[j]!);
    const now = transformScores(values, this.transform);
    changed.forEach((j, k) => {
      const [was, is] = [x[j]! - shift, now[k]! - shift];
      sum += is - was;
      squares += is * is - was * was;
      x[j] = now[k]!;
    });
    const n = x.length || 1;
    const mean = sum / n;
    return {
      x,
      mean: shift + mean,
      std: Math.sqrt(Math.max(0, squares / n - mean * mean)) || 1,
      restore: () => changed.forEach((j, k) => (x[j] = kept[k]!)),
    };
  }

  private transformed(base: Float32Array): Transformed {
    let t = this.byBase.get(base);
    if (!t) {
      const x = Float32Array.from(transformScores(base, this.transform));
      const shift = x.length > 0 && Number.isFinite(x[0]!) ? x[0]! : 0;
      let [sum, squares] = [0, 0];
      for (const v of x) (sum += v - shift), (squares += (v - shift) ** 2);
      t = { x, shift, sum, squares };
      this.byBase.set(base, t);
    }
    return t;
  }
}

import { BaseTransforms, hasBaseScores, type BaseScores } from './base-scores.ts';
import { blendTopK, denseTerm, type BlendTerm } from './blend-top-k.ts';
import type { Recommendation, Recommender } from './recommender.ts';
import type { BlendTransform } from './standardize.ts';

export interface BlendPart {
  readonly recommender: Recommender;
  readonly weight: number;
  /** 'z': standardize over the domain; 'log-z': log1p first (for heavy-tailed counts). */
  readonly transform: BlendTransform;
}

/**
 * createBlend's recommend(): the parts' whole-domain scores ranked by blendTopK, with what a
 * million-item domain should not redo on every call kept between calls, per part: a 'log-z'
 * part's log1p buffer, and a base scorer's (base-scores.ts) transformed bases with their sums.
 */
export class BlendRanker {
  private readonly logBuffers: (Float32Array | undefined)[] = [];
  private readonly bases: BaseTransforms[];

  constructor(private readonly parts: readonly BlendPart[]) {
    this.bases = parts.map((p) => new BaseTransforms(p.transform));
  }

  async recommend(history: Int32Array, domain: number, items: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): Promise<Recommendation[]> {
    const scored = await Promise.all(
      this.parts.map(async ({ recommender: r }): Promise<Float32Array | BaseScores> => (hasBaseScores(r) ? r.domainScores(history, domain) : (await r.score([{ history, domain }]))[0]!)),
    );
    // Synchronous from here: the buffers and bases are written, read and restored with no other call in between.
    const restores: (() => void)[] = [];
    try {
      const terms = scored.map((s, i) => (s instanceof Float32Array ? this.dense(s, i) : this.base(s, i, restores)));
      return blendTopK(terms, items, k, exclude);
    } finally {
      restores.forEach((restore) => restore());
    }
  }

  private dense(scores: Float32Array, i: number): BlendTerm {
    const { transform, weight } = this.parts[i]!;
    const term = denseTerm(scores, transform, weight, this.logBuffers[i]);
    if (term.x !== scores && term.x.length > (this.logBuffers[i]?.length ?? 0)) this.logBuffers[i] = term.x;
    return term;
  }

  private base(scores: BaseScores, i: number, restores: (() => void)[]): BlendTerm {
    const { restore, ...term } = this.bases[i]!.term(scores);
    restores.push(restore);
    return { ...term, weight: this.parts[i]!.weight };
  }
}

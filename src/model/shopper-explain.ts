/**
 * Scores and explanations of whole-domain requests from one SIMD pass (shopper-forward.ts):
 * Levels 2 and 3 of an explanation are the attention that pass computed on its way to the
 * scores, Level 1 the modality weights of the item table the pass was built from. What
 * HafRecommender serves where the pass covers the model, instead of a tfjs forward pass for
 * the explanation after the SIMD pass for the scores. AttentionExplainer also labels the
 * attention the fused WebGPU pass reads back with its scores (gpu-forward/).
 */
import type { Catalog } from '../catalog/types.ts';
import { explanationOf, type ExplainTarget, type Explanation } from './explain.ts';
import type { HafModel } from './model.ts';
import { ShopperForward, type ShopperAttention } from './shopper-forward.ts';

/** Each request's scores (empty unless asked for) and explanation (empty unless asked for). */
export interface ShopperExplained {
  readonly scores: Float32Array[];
  readonly explanations: Explanation[];
}

/** What an explanation reads of a pass's attention: the target view's row [t] and the domain attention [V]. */
export interface ViewAttention {
  readonly positions: Float32Array | undefined;
  readonly beta: Float32Array;
}

/** Explanations from a pass's attention (this SIMD pass's or the fused WebGPU pass's), Level 1 from the item table. */
export class AttentionExplainer {
  /** `alpha`: the item table's modality weights [size + 1, 1 + modalities], unset when ID-only. */
  constructor(
    private readonly catalog: Catalog,
    private readonly modalities: readonly string[],
    private readonly alpha: Float32Array | undefined,
  ) {}

  explain(target: ExplainTarget, attention: ViewAttention): Explanation {
    return explanationOf(this.catalog, this.modalities, target, { alpha: this.alphaRows(target.cut), attention: attention.positions, beta: attention.beta });
  }

  /** The modality weights of `items` [n, 1 + modalities], or undefined (ID-only, or no items). */
  private alphaRows(items: Int32Array): Float32Array | undefined {
    const alpha = this.alpha;
    if (!alpha || items.length === 0) return undefined;
    const p = alpha.length / (this.catalog.size + 1);
    const out = new Float32Array(items.length * p);
    items.forEach((item, i) => out.set(alpha.subarray(item * p, (item + 1) * p), i * p));
    return out;
  }
}

export class ShopperExplainer {
  private constructor(
    private readonly pass: ShopperForward,
    private readonly explainer: AttentionExplainer,
  ) {}

  /**
   * Over the item table `vectors` [size + 1, d] and its modality weights `alpha`
   * [size + 1, 1 + modalities] (unset when ID-only); undefined where ShopperForward declines the model.
   */
  static create(model: HafModel, catalog: Catalog, vectors: Float32Array, alpha: Float32Array | undefined): ShopperExplainer | undefined {
    const pass = ShopperForward.create(model, catalog, vectors);
    return pass && new ShopperExplainer(pass, new AttentionExplainer(catalog, model.shape.modalities.map((m) => m.name), alpha));
  }

  /** One pass over `requests` (whole-domain, validated); targets[i] is what request i is explained against. */
  run(requests: readonly { readonly history: Int32Array; readonly domain: number }[], targets: readonly ExplainTarget[], want: { readonly scores: boolean; readonly explain: boolean }): ShopperExplained {
    const { scores, attention } = want.scores ? this.pass.scoreWithAttention(requests) : { scores: [], attention: this.pass.attention(requests) };
    return { scores, explanations: want.explain ? attention.map((a, i) => this.explain(targets[i]!, a)) : [] };
  }

  private explain(target: ExplainTarget, attention: ShopperAttention): Explanation {
    return this.explainer.explain(target, { positions: attention.views[target.view], beta: attention.beta });
  }
}

/**
 * The fused WebGPU pass as HafRecommender's first choice for whole-domain scores and top-k.
 * A lost device (DeviceLostError) drops it for good: the call that met the loss and every
 * later one answer undefined, and the recommender serves them on its own path (ShopperForward,
 * or tfjs), so no shopper sees the error. Explanations come from the same pass: its read-back
 * carries the attention after the scores (explained()). `enabled` lets the measured choice
 * (whole-domain-choice.ts) time both paths through the very same recommender calls.
 */
import type { Recommendation } from '../../eval/recommender.ts';
import { DeviceLostError } from '../errors.ts';
import type { GpuScores, GpuShopperForward } from './gpu-shopper-forward.ts';

export interface FusedHooks {
  /** Told once, with the error's message, when a lost device drops the pass. */
  readonly onLost?: (reason: string) => void;
  /** Frees what the pass ran on (the device the engine requested for it); called when it is dropped or disposed. */
  readonly release?: () => void;
}

export interface DomainRequest {
  readonly history: Int32Array;
  readonly domain: number;
}

export class FusedWholeDomain {
  /** False while the measured choice times the other path; nothing is freed. */
  enabled = true;
  private pass: GpuShopperForward | undefined;

  constructor(
    pass: GpuShopperForward,
    private readonly hooks: FusedHooks = {},
  ) {
    this.pass = pass;
  }

  /** True while the pass serves: enabled, not lost, not disposed. */
  get active(): boolean {
    return this.enabled && this.pass !== undefined;
  }

  /** Scores of each request's whole domain (validated requests), or undefined when the pass does not serve. */
  score(requests: readonly DomainRequest[]): Promise<Float32Array[] | undefined> {
    return this.guard((pass) => Promise.all(requests.map((r) => pass.scoreDomain(r.history, r.domain))));
  }

  /**
   * Each request's attention (what an explanation reports) and, when `scores`, its scores: from
   * the same submit and read-back per request; scores are empty when not asked for. Undefined
   * when the pass does not serve.
   */
  explained(requests: readonly DomainRequest[], scores: boolean): Promise<GpuScores[] | undefined> {
    const one = async (pass: GpuShopperForward, r: DomainRequest): Promise<GpuScores> =>
      scores ? pass.scoreWithAttention(r.history, r.domain) : { scores: new Float32Array(0), attention: await pass.attention(r.history, r.domain) };
    return this.guard((pass) => Promise.all(requests.map((r) => one(pass, r))));
  }

  /** The k best of `domain` never in `exclude`, or undefined when the pass does not serve. */
  topK(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<Recommendation[] | undefined> {
    return this.guard(async (pass) => {
      const best = await pass.topK(history, domain, k, exclude);
      return Array.from(best.items, (item, i) => ({ item, score: best.scores[i]! }));
    });
  }

  dispose(): void {
    this.drop();
  }

  private async guard<T>(run: (pass: GpuShopperForward) => Promise<T>): Promise<T | undefined> {
    const pass = this.active ? this.pass : undefined;
    if (!pass) return undefined;
    try {
      return await run(pass);
    } catch (error) {
      if (!(error instanceof DeviceLostError)) throw error;
      this.drop();
      this.hooks.onLost?.(error.message);
      return undefined;
    }
  }

  private drop(): void {
    const pass = this.pass;
    if (!pass) return;
    this.pass = undefined;
    pass.dispose();
    this.hooks.release?.();
  }
}

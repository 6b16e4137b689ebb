/**
 * The trained model behind the Recommender interface: scores a domain (or given candidates)
 * for histories, recommends top-k, and explains a recommendation with the three attention
 * levels, alone or from the very forward pass that scored it. Item vectors (and their
 * modality weights) of the whole catalog are computed once and cached, or served from an
 * int8 item table (int8-item-table.ts): then the forward pass gets only the batch's rows,
 * dequantized, and a whole domain is ranked by the int8 kernel from the read-back u_t.
 * Whole-domain requests on wasm or cpu skip tfjs: their scores and explanations come from one
 * SIMD pass (shopper-explain.ts). Given a fused WebGPU pass (useFusedPass), whole-domain scores,
 * top-k and explanations come from it first: its one read-back carries the attention too.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import { UnknownDomainError, UnknownItemError } from '../catalog/errors.ts';
import type { Recommendation, Recommender, ScoreRequest } from '../eval/recommender.ts';
import { topK } from '../eval/top-k.ts';
import { buildBatch, type Batch } from './batch.ts';
import { explanationTensors, readExplanation, type ExplainTarget, type Explanation, type ExplanationTensors } from './explain.ts';
import { INFERENCE, type ForwardOutput, type HafModel } from './model.ts';
import { takeRows } from './ops.ts';
import { trimWebGpuBuffers } from './webgpu-memory.ts';
import { ModelError } from './errors.ts';
import { AttentionExplainer, ShopperExplainer } from './shopper-explain.ts';
import { GpuShopperForward } from './gpu-forward/gpu-shopper-forward.ts';
import type { FusedWholeDomain } from './gpu-forward/fused-whole-domain.ts';
import { fusedRun, type PassMode, type PassResult } from './fused-run.ts';

import type { ExplainedRecommendation, ExplainedScores, HafRecommenderOptions, ItemTableData } from './recommender-types.ts';

export type { Explanation } from './explain.ts';
export type { ExplainedRecommendation, ExplainedScores, HafRecommenderOptions, ItemTableData } from './recommender-types.ts';

const SCORES: PassMode = { scores: true, explain: false };
const EXPLANATIONS: PassMode = { scores: false, explain: true };
const BOTH: PassMode = { scores: true, explain: true };

export class HafRecommender implements Recommender {
  readonly name: string;
  private table: tf.Tensor2D | undefined; // [size + 1, d]
  private alpha: tf.Tensor2D | undefined; // [size + 1, 1 + modalities]; unset when ID-only
  private domainT: tf.Tensor2D[] = []; // per domain [d, M_t]
  private shopperPass: Promise<ShopperExplainer | undefined> | undefined;
  private fused: FusedWholeDomain | undefined;
  private fusedExplainer: Promise<AttentionExplainer> | undefined;
  private disposed = false;

  constructor(
    readonly model: HafModel,
    readonly catalog: Catalog,
    private readonly options: HafRecommenderOptions = {},
  ) {
    this.name = options.name ?? 'haf';
  }

  /** Drops cached item vectors and the SIMD pass with its copy of the weights (call after the weights change). */
  invalidate(): void {
    tf.dispose([this.table ?? [], this.alpha ?? [], this.domainT]);
    this.table = undefined;
    this.alpha = undefined;
    this.domainT = [];
    this.shopperPass = undefined;
    this.fusedExplainer = undefined;
    // Its weights and item tables are a copy of the old ones.
    this.useFusedPass(undefined);
  }

  /**
   * Whole-domain scores, top-k and explanations from `fused` first, while it is active (a
   * lost device drops it and the call falls through to this recommender's own path);
   * undefined drops it. The recommender disposes it. Whether it should serve is whole-domain-choice.ts's measurement.
   */
  useFusedPass(fused: FusedWholeDomain | undefined): void {
    if (this.fused !== fused) this.fused?.dispose();
    this.fused = fused;
  }

  /** True while whole-domain scores come from the fused WebGPU pass. */
  get fusedActive(): boolean {
    return this.fused?.active ?? false;
  }

  /** The fused WebGPU pass over this recommender's float item table, or undefined where it does not apply (int8 items, a model it does not cover). */
  async createFusedPass(device: GPUDevice): Promise<GpuShopperForward | undefined> {
    if (this.options.int8Items) return undefined;
    return GpuShopperForward.create(device, this.model, this.catalog, (await this.itemTableData()).vectors);
  }

  private itemTable(): tf.Tensor2D {
    // The model of an int8 table knows only the rows it had to compute: never build a float table from it.
    if (this.options.int8Items) throw new ModelError('HafRecommender: an int8 item table has no float table');
    if (!this.table) {
      const [all, alpha] = tf.tidy(() => {
        const preset = this.options.itemTable;
        if (preset) {
          const rows = this.catalog.size + 1;
          const vectors = tf.tensor2d(preset.vectors, [rows, preset.vectors.length / rows]);
          return preset.alpha ? [vectors, tf.tensor2d(preset.alpha, [rows, preset.alpha.length / rows])] : [vectors];
        }
        const out = this.model.itemVectors(tf.range(0, this.catalog.size + 1, 1, 'int32') as tf.Tensor1D);
        return out.alpha ? [out.vectors, out.alpha] : [out.vectors];
      }) as [tf.Tensor2D, tf.Tensor2D?];
      this.table = all;
      this.alpha = alpha;
      this.domainT = this.catalog.domainItems.map((items) => tf.tidy(() => tf.transpose(takeRows(all, tf.tensor1d(items, 'int32'))) as tf.Tensor2D));
    }
    return this.table;
  }

  /** Item vectors of `items` from the cached table; call inside tf.tidy. */
  itemRows(items: tf.Tensor1D): tf.Tensor2D {
    const int8 = this.options.int8Items;
    // A few indices just made from JS (a history, some picks): reading them back is no GPU stall.
    if (int8) return tf.tensor2d(int8.vectors(items.dataSync()), [items.size, int8.dim]); // [M, d]
    return takeRows(this.itemTable(), items) as tf.Tensor2D;
  }

  /** The whole item table (vectors and modality weights), read back. */
  async itemTableData(): Promise<ItemTableData> {
    const int8 = this.options.int8Items;
    if (int8) {
      const all = Int32Array.from({ length: this.catalog.size + 1 }, (_, i) => i);
      const alpha = int8.alpha(all);
      return { vectors: int8.vectors(all), ...(alpha ? { alpha } : {}) };
    }
    const vectors = (await this.itemTable().data()) as Float32Array;
    return { vectors, ...(this.alpha ? { alpha: (await this.alpha.data()) as Float32Array } : {}) };
  }

  private check(request: ScoreRequest): void {
    if (!Number.isInteger(request.domain) || request.domain < 0 || request.domain >= this.catalog.domains.length) {
      throw new UnknownDomainError(String(request.domain), this.catalog.domains);
    }
    const size = this.catalog.size;
    for (const list of [request.history, request.candidates ?? new Int32Array(0)]) {
      for (const i of list) if (!(i >= 1 && i <= size)) throw new UnknownItemError(i, size);
    }
  }

  async score(requests: readonly ScoreRequest[]): Promise<Float32Array[]> {
    return (await this.run(requests, SCORES, 'score')).scores;
  }

  /** score() and explainAttention() of every request, from one forward pass per batch. */
  async scoreWithExplanation(requests: readonly ScoreRequest[]): Promise<ExplainedScores[]> {
    const { scores, explanations } = await this.run(requests, BOTH, 'scoreWithExplanation');
    return scores.map((s, i) => ({ scores: s, explanation: explanations[i]! }));
  }

  async recommend(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<Recommendation[]> {
    if (this.fused?.active) {
      this.live('recommend');
      this.check({ history, domain });
      const best = await this.fused.topK(history, domain, k, exclude);
      if (best) return best;
    }
    const [scores] = await this.score([{ history, domain }]);
    return topK(scores!, this.catalog.domainItems[domain]!, k, exclude);
  }

  /** recommend() and explainAttention() from one forward pass: the top-k and why. */
  async recommendWithExplanation(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<ExplainedRecommendation> {
    const [one] = await this.scoreWithExplanation([{ history, domain }]);
    return { recommendations: topK(one!.scores, this.catalog.domainItems[domain]!, k, exclude), explanation: one!.explanation };
  }

  /**
   * The three attention levels behind a recommendation for `history` in `domain`. (Named so
   * it does not shadow the worker's per-item `explain(history, domain, items)` contract.)
   */
  async explainAttention(history: Int32Array, domain: number): Promise<Explanation> {
    return (await this.run([{ history, domain }], EXPLANATIONS, 'explainAttention')).explanations[0]!;
  }

  private async run(requests: readonly ScoreRequest[], mode: PassMode, caller: string): Promise<PassResult> {
    this.live(caller);
    requests.forEach((r) => this.check(r));
    const fused = await fusedRun(this.fused, requests, mode, { target: (r) => this.target(r), explainer: () => this.attentionExplainer() });
    if (fused) return fused;
    const scores: Float32Array[] = [];
    const explanations: Explanation[] = [];
    const size = this.options.batchSize ?? 64;
    for (let start = 0; start < requests.length; start += size) {
      const chunk = await this.runChunk(requests.slice(start, start + size), mode);
      scores.push(...chunk.scores);
      explanations.push(...chunk.explanations);
    }
    // Histories of new lengths make new buffer sizes; keep WebGPU's idle pool bounded.
    trimWebGpuBuffers();
    return { scores, explanations };
  }

  /** Labels the fused pass's attention; Level 1 from the float table's modality weights, read once. */
  private attentionExplainer(): Promise<AttentionExplainer> {
    this.fusedExplainer ??= (async () => {
      this.itemTable();
      const alpha = this.alpha && ((await this.alpha.data()) as Float32Array);
      return new AttentionExplainer(this.catalog, this.model.shape.modalities.map((m) => m.name), alpha);
    })();
    return this.fusedExplainer;
  }

  private live(caller: string): void {
    if (this.disposed) throw new ModelError(`HafRecommender: ${caller}() after dispose()`);
  }

  /** One forward pass; every tensor is read with await data() (webgpu-safe) and disposed. */
  private async runChunk(requests: readonly ScoreRequest[], mode: PassMode): Promise<PassResult> {
    const targets = requests.map((r) => this.target(r));
    const fast = await this.fastPass(requests);
    if (fast) return fast.run(requests, targets, mode);
    const { scores, user, why } = this.forwardChunk(requests, targets, mode);
    try {
      const modalities = this.model.shape.modalities.map((m) => m.name);
      const [values, explanations] = await Promise.all([
        user.length > 0 ? this.int8Scores(requests, (await user[0]!.data()) as Float32Array) : Promise.all(scores.map((s) => s.data() as Promise<Float32Array>)),
        Promise.all(why.map((w, i) => readExplanation(this.catalog, modalities, targets[i]!, w))),
      ]);
      return { scores: values, explanations };
    } finally {
      tf.dispose([scores, user, why]);
    }
  }

  /**
   * The SIMD pass (built on first use from the float item table) for a chunk it applies to:
   * no candidates in the chunk, and not on WebGPU, whose pass stays on the GPU.
   */
  private async fastPass(requests: readonly ScoreRequest[]): Promise<ShopperExplainer | undefined> {
    const off = this.options.shopperForward === false || this.options.int8Items || tf.getBackend() === 'webgpu';
    if (off || requests.some((r) => r.candidates)) return undefined;
    this.shopperPass ??= this.itemTableData().then((table) => ShopperExplainer.create(this.model, this.catalog, table.vectors, table.alpha));
    return this.shopperPass;
  }

  /**
   * The pass's tensors: float scores, or (int8 table) the users [N, d] to score in JS; and the
   * explanations. With an int8 table the batch numbers its items locally and the forward pass
   * gets only their rows, dequantized: [U, d] for the U distinct items of the batch.
   */
  private forwardChunk(requests: readonly ScoreRequest[], targets: readonly ExplainTarget[], mode: PassMode): { scores: tf.Tensor1D[]; user: tf.Tensor2D[]; why: ExplanationTensors[] } {
    const int8 = this.options.int8Items;
    const table = int8 ? undefined : this.itemTable();
    const batch = buildBatch(
      requests.map((r) => ({ history: r.history, domain: r.domain })),
      { domainOf: this.catalog.domainOf, domains: this.catalog.domains.length, maxLength: this.model.config.maxLength, ...(int8 ? {} : { identityItems: this.catalog.size }) },
    );
    return tf.tidy(() => {
      const vectors = table ?? tf.tensor2d(int8!.vectors(batch.items), [batch.items.length, int8!.dim]); // [size + 1, d] or [U, d]
      const out = this.model.forward(batch, vectors, INFERENCE);
      return {
        scores: mode.scores && !int8 ? requests.map((r, i) => this.scoreRow(out.user, i, r)) : [],
        user: mode.scores && int8 ? [out.user] : [],
        why: mode.explain ? targets.map((t, i) => this.explanationOf(out, batch, i, t)) : [],
      };
    });
  }

  /** explanationTensors, with the modality weights of an int8 table's rows. Call inside tf.tidy. */
  private explanationOf(out: ForwardOutput, batch: Batch, i: number, t: ExplainTarget): ExplanationTensors {
    const int8 = this.options.int8Items;
    if (!int8) return explanationTensors(out, batch, i, t, this.alpha ?? null);
    const alpha = t.cut.length > 0 ? int8.alpha(t.cut) : undefined;
    const base = explanationTensors(out, batch, i, t, null);
    return alpha ? { ...base, alpha: tf.tensor2d(alpha, [t.cut.length, alpha.length / t.cut.length]) } : base; // [n, P]
  }

  /** Each request's scores from its user vector (users: [N, d]): the int8 kernel over a whole domain, or its candidates' dequantized rows. */
  private int8Scores(requests: readonly ScoreRequest[], users: Float32Array): Float32Array[] {
    const int8 = this.options.int8Items!;
    const d = int8.dim;
    return requests.map((r, i) => {
      const u = users.subarray(i * d, (i + 1) * d);
      return r.candidates ? int8.scoreItems(r.candidates, u) : int8.scoreDomain(r.domain, u);
    });
  }

  /** Request `i`'s scores: its whole domain, or its candidates. Call inside tf.tidy. */
  private scoreRow(user: tf.Tensor2D, i: number, r: ScoreRequest): tf.Tensor1D {
    const u = tf.slice(user, [i, 0], [1, -1]); // [1, d]
    if (!r.candidates) return tf.reshape(tf.matMul(u, this.domainT[r.domain]!), [-1]);
    const v = takeRows(this.table!, tf.tensor1d(r.candidates, 'int32')); // [C, d]
    return tf.sum(tf.mul(v, u), 1);
  }

  private target(r: ScoreRequest): ExplainTarget {
    const { maxLength, singleDomain } = this.model.config;
    const cut = r.history.subarray(Math.max(0, r.history.length - maxLength));
    return { cut, domain: r.domain, view: singleDomain ? r.domain : this.catalog.domains.length };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.invalidate();
    this.options.int8Items?.dispose();
    if (this.options.ownsModel ?? true) this.model.dispose();
  }
}

/**
 * The trained model behind the Recommender interface: scores a domain (or given candidates)
 * for histories, recommends top-k, and explains a recommendation with the three attention
 * levels, alone or from the very forward pass that scored it. Item vectors (and their
 * modality weights) of the whole catalog are computed once and cached.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import { UnknownDomainError, UnknownItemError } from '../catalog/errors.ts';
import type { Recommendation, Recommender, ScoreRequest } from '../eval/recommender.ts';
import { topK } from '../eval/top-k.ts';
import { buildBatch } from './batch.ts';
import { explanationTensors, readExplanation, type ExplainTarget, type Explanation, type ExplanationTensors } from './explain.ts';
import { INFERENCE, type HafModel } from './model.ts';
import { takeRows } from './ops.ts';
import { trimWebGpuBuffers } from './webgpu-memory.ts';
import { ModelError } from './errors.ts';

export type { Explanation } from './explain.ts';

export interface HafRecommenderOptions {
  readonly name?: string;
  /** Requests per forward pass. */
  readonly batchSize?: number;
  /** Dispose the model with the recommender (default true). */
  readonly ownsModel?: boolean;
  /**
   * Item tower outputs computed ahead (a bundle's items.bin): vectors [(size + 1) * d] and
   * modality weights [(size + 1) * (1 + modalities)]. Used instead of running the item tower.
   */
  readonly itemTable?: ItemTableData;
}

/** The item tower's output for every catalog row (row 0 = padding). */
export interface ItemTableData {
  readonly vectors: Float32Array;
  readonly alpha?: Float32Array;
}

/** A request's scores and explanation from one forward pass. */
export interface ExplainedScores {
  /** Exactly what score() returns for the same requests. */
  readonly scores: Float32Array;
  /**
   * What explainAttention() returns for the request's history and domain: bit for bit for a
   * lone request; in a batch, wasm's kernels may round the last bit differently (~1e-7).
   */
  readonly explanation: Explanation;
}

/** A recommendation and its explanation from one forward pass. */
export interface ExplainedRecommendation {
  /** Exactly what recommend() returns. */
  readonly recommendations: Recommendation[];
  /** Exactly what explainAttention() returns. */
  readonly explanation: Explanation;
}

/** What a forward pass reads back: scores, explanations or both. */
interface PassMode {
  readonly scores: boolean;
  readonly explain: boolean;
}

interface PassResult {
  readonly scores: Float32Array[];
  readonly explanations: Explanation[];
}

const SCORES: PassMode = { scores: true, explain: false };
const EXPLANATIONS: PassMode = { scores: false, explain: true };
const BOTH: PassMode = { scores: true, explain: true };

export class HafRecommender implements Recommender {
  readonly name: string;
  private table: tf.Tensor2D | undefined; // [size + 1, d]
  private alpha: tf.Tensor2D | undefined; // [size + 1, 1 + modalities]; unset when ID-only
  private domainT: tf.Tensor2D[] = []; // per domain [d, M_t]
  private disposed = false;

  constructor(
    readonly model: HafModel,
    readonly catalog: Catalog,
    private readonly options: HafRecommenderOptions = {},
  ) {
    this.name = options.name ?? 'haf';
  }

  /** Drops cached item vectors (call after the weights change). */
  invalidate(): void {
    tf.dispose([this.table ?? [], this.alpha ?? [], this.domainT]);
    this.table = undefined;
    this.alpha = undefined;
    this.domainT = [];
  }

  private itemTable(): tf.Tensor2D {
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
    return takeRows(this.itemTable(), items) as tf.Tensor2D;
  }

  /** The whole item table (vectors and modality weights), read back. */
  async itemTableData(): Promise<ItemTableData> {
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
    if (this.disposed) throw new ModelError(`HafRecommender: ${caller}() after dispose()`);
    requests.forEach((r) => this.check(r));
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

  /** One forward pass; every tensor is read with await data() (webgpu-safe) and disposed. */
  private async runChunk(requests: readonly ScoreRequest[], mode: PassMode): Promise<PassResult> {
    const targets = requests.map((r) => this.target(r));
    const { scores, why } = this.forwardChunk(requests, targets, mode);
    try {
      const modalities = this.model.shape.modalities.map((m) => m.name);
      const [values, explanations] = await Promise.all([
        Promise.all(scores.map((s) => s.data() as Promise<Float32Array>)),
        Promise.all(why.map((w, i) => readExplanation(this.catalog, modalities, targets[i]!, w))),
      ]);
      return { scores: values, explanations };
    } finally {
      tf.dispose([scores, why]);
    }
  }

  private forwardChunk(requests: readonly ScoreRequest[], targets: readonly ExplainTarget[], mode: PassMode): { scores: tf.Tensor1D[]; why: ExplanationTensors[] } {
    const table = this.itemTable();
    const batch = buildBatch(
      requests.map((r) => ({ history: r.history, domain: r.domain })),
      { domainOf: this.catalog.domainOf, domains: this.catalog.domains.length, maxLength: this.model.config.maxLength, identityItems: this.catalog.size },
    );
    return tf.tidy(() => {
      const out = this.model.forward(batch, table, INFERENCE);
      return {
        scores: mode.scores ? requests.map((r, i) => this.scoreRow(out.user, i, r)) : [],
        why: mode.explain ? targets.map((t, i) => explanationTensors(out, batch, i, t, this.alpha ?? null)) : [],
      };
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
    if (this.options.ownsModel ?? true) this.model.dispose();
  }
}

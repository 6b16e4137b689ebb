/**
 * The trained model behind the Recommender interface: scores a domain (or given candidates)
 * for histories, recommends top-k, and explains a recommendation with the three attention
 * levels. Item vectors of the whole catalog are computed once and cached.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import { UnknownDomainError, UnknownItemError } from '../catalog/errors.ts';
import type { Recommendation, Recommender, ScoreRequest } from '../eval/recommender.ts';
import { topK } from '../eval/top-k.ts';
import { buildBatch } from './batch.ts';
import { INFERENCE, type HafModel } from './model.ts';

export interface Explanation {
  /** Per history item (oldest first, the last maxLength): modality weights, e.g. {id: 0.3, text: 0.7}. */
  readonly modality: { readonly item: number; readonly weights: Record<string, number> }[];
  /** Weight of each history position in the mixed view's last query (or the own domain's view). */
  readonly positions: { readonly item: number; readonly weight: number }[];
  /** Domain attention: how much each view ("food", "kitchen", "mixed") fed this pick; empty when off. */
  readonly views: Record<string, number>;
}

export interface HafRecommenderOptions {
  readonly name?: string;
  /** Requests per forward pass. */
  readonly batchSize?: number;
  /** Dispose the model with the recommender (default true). */
  readonly ownsModel?: boolean;
}

export class HafRecommender implements Recommender {
  readonly name: string;
  private table: tf.Tensor2D | undefined; // [size + 1, d]
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
    if (this.table) this.table.dispose();
    tf.dispose(this.domainT);
    this.table = undefined;
    this.domainT = [];
  }

  private itemTable(): tf.Tensor2D {
    if (!this.table) {
      const all = tf.tidy(() => this.model.itemVectors(tf.range(0, this.catalog.size + 1, 1, 'int32') as tf.Tensor1D).vectors);
      this.table = all;
      this.domainT = this.catalog.domainItems.map((items) => tf.tidy(() => tf.transpose(tf.gather(all, tf.tensor1d(items, 'int32'))) as tf.Tensor2D));
    }
    return this.table;
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
    if (this.disposed) throw new Error('HafRecommender: score() after dispose()');
    requests.forEach((r) => this.check(r));
    const out: Float32Array[] = [];
    const size = this.options.batchSize ?? 64;
    for (let start = 0; start < requests.length; start += size) {
      out.push(...(await this.scoreChunk(requests.slice(start, start + size))));
    }
    return out;
  }

  private userVectors(requests: readonly ScoreRequest[]): tf.Tensor2D {
    const table = this.itemTable();
    const batch = buildBatch(
      requests.map((r) => ({ history: r.history, domain: r.domain })),
      { domainOf: this.catalog.domainOf, domains: this.catalog.domains.length, maxLength: this.model.config.maxLength, identityItems: this.catalog.size },
    );
    return tf.tidy(() => this.model.forward(batch, table, INFERENCE).user);
  }

  private async scoreChunk(requests: readonly ScoreRequest[]): Promise<Float32Array[]> {
    const user = this.userVectors(requests); // [R, d]
    const pending: Promise<Float32Array>[] = [];
    try {
      const table = this.itemTable();
      const scores = tf.tidy(() =>
        requests.map((r, i) => {
          const u = tf.slice(user, [i, 0], [1, -1]); // [1, d]
          if (!r.candidates) return tf.reshape(tf.matMul(u, this.domainT[r.domain]!), [-1]);
          const v = tf.gather(table, tf.tensor1d(r.candidates, 'int32')); // [C, d]
          return tf.sum(tf.mul(v, u), 1);
        }),
      );
      for (const s of scores) pending.push(s.data() as Promise<Float32Array>);
      const result = await Promise.all(pending);
      tf.dispose(scores);
      return result;
    } finally {
      user.dispose();
    }
  }

  async recommend(history: Int32Array, domain: number, k: number, exclude?: ReadonlySet<number>): Promise<Recommendation[]> {
    const [scores] = await this.score([{ history, domain }]);
    return topK(scores!, this.catalog.domainItems[domain]!, k, exclude);
  }

  /**
   * The three attention levels behind a recommendation for `history` in `domain`. (Named so
   * it does not shadow the worker's per-item `explain(history, domain, items)` contract.)
   */
  async explainAttention(history: Int32Array, domain: number): Promise<Explanation> {
    this.check({ history, domain });
    const cut = history.subarray(Math.max(0, history.length - this.model.config.maxLength));
    const table = this.itemTable();
    const batch = buildBatch([{ history: cut, domain }], {
      domainOf: this.catalog.domainOf,
      domains: this.catalog.domains.length,
      maxLength: this.model.config.maxLength,
      identityItems: this.catalog.size,
    });
    const own = this.model.config.singleDomain ? domain : this.catalog.domains.length;
    // tidy cannot return null: an empty tensor stands for "not available".
    const [alpha, beta, attention] = tf.tidy((): tf.Tensor[] => {
      const none = (): tf.Tensor => tf.zeros([0]);
      const out = this.model.forward(batch, table, INFERENCE);
      const att = out.attention[own];
      const t = batch.views[own]?.length ?? 0;
      const a = cut.length > 0 ? this.model.itemVectors(tf.tensor1d(cut, 'int32')).alpha : null;
      return [a ?? none(), out.beta ?? none(), att && t > 0 ? tf.reshape(tf.slice(att, [0, t - 1, 0], [1, 1, t]), [t]) : none()];
    }) as [tf.Tensor, tf.Tensor, tf.Tensor];
    try {
      return await this.describe(cut, own, domain, alpha, beta, attention);
    } finally {
      tf.dispose([alpha, beta, attention]);
    }
  }

  private async describe(
    cut: Int32Array,
    own: number,
    domain: number,
    alpha: tf.Tensor,
    beta: tf.Tensor,
    attention: tf.Tensor,
  ): Promise<Explanation> {
    const names = ['id', ...this.model.shape.modalities.map((m) => m.name)];
    const a = alpha.size > 0 ? await alpha.data() : undefined;
    const modality = Array.from(cut, (item, i) => ({
      item,
      weights: Object.fromEntries(names.map((n, j) => [n, a ? (a[i * names.length + j] as number) : j === 0 ? 1 : 0])),
    }));
    const viewItems = own === this.catalog.domains.length ? Array.from(cut) : Array.from(cut).filter((i) => this.catalog.domainOf[i] === domain);
    const w = await attention.data();
    const positions = viewItems.map((item, i) => ({ item, weight: (w[i] as number | undefined) ?? 0 }));
    const b = beta.size > 0 ? await beta.data() : undefined;
    const label = (v: number): string => (v === this.catalog.domains.length ? 'mixed' : this.catalog.domains[v]!);
    const views = b ? Object.fromEntries(Array.from(b, (x, v) => [label(v), x])) : {};
    return { modality, positions, views };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.invalidate();
    if (this.options.ownsModel ?? true) this.model.dispose();
  }
}


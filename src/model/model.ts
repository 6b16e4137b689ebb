/**
 * The hierarchical attention fusion model: item tower (Level 1), one encoder per view
 * (Level 2), domain attention (Level 3), dot-product scoring against the same item tower.
 * Pure tensor code: no DOM, no storage. Every method that returns tensors is meant to run
 * inside tf.tidy (the caller owns the result).
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../catalog/features.ts';
import type { Batch } from './batch.ts';
import { resolveConfig, type HafConfig } from './config.ts';
import { domainAttention, selectView } from './domain-attention.ts';
import { encodeView, INFERENCE, type EncoderRun } from './encoder.ts';
import { itemTower, type ContentTensors, type ItemTowerInputs, type ItemTowerOutput } from './item-tower.ts';
import { gatherRows } from './ops.ts';
import { mixedView, type ModelShape } from './param-layout.ts';
import { namedParams, paramTree, type HafParams, type ParamMap } from './params.ts';

export interface ForwardOutput {
  readonly user: tf.Tensor2D; // [N, d]
  /** [N, V] weight of each view (domains 0..K-1, then mixed); null without domain attention. */
  readonly beta: tf.Tensor2D | null;
  /**
   * Per view: the last block's attention over positions, or null when the view is empty:
   * [B, T, T] (row = query position), or [B, 1, T] when only each row's query was encoded.
   */
  readonly attention: (tf.Tensor3D | null)[];
  /** 'query': attention rows are the queries' (inference, one query per row); 'all': every position's. */
  readonly attentionRows: 'all' | 'query';
}

export { INFERENCE };

export class HafModel {
  /** The views that have an encoder (0..K-1 domains, K mixed). */
  readonly views: readonly number[];
  /** The parameters as the typed tree the forward pass reads. */
  readonly tree: HafParams;
  /** The same variables by saved name, in name order: what weight files, the optimizer and averaging iterate. */
  readonly params: ParamMap;
  private readonly content: readonly ContentTensors[];
  /** [size + 1] 1 where the item tower uses the ID row (trained, and not hidden by hideIds). */
  private idKnown: tf.Tensor1D;
  private readonly known: Uint8Array;

  private current: HafConfig;

  constructor(
    config: HafConfig,
    readonly shape: ModelShape,
    params: ReadonlyMap<string, tf.Variable>,
    content: readonly FeatureTable[],
    idKnown: Uint8Array,
  ) {
    this.current = config;
    this.tree = paramTree(config, shape, params);
    this.params = namedParams(config, shape, this.tree);
    this.views = this.tree.views.flatMap((encoder, v) => (encoder ? [v] : []));
    this.known = idKnown;
    const used = config.idOnly ? [] : content;
    this.content = used.map((f): ContentTensors => ({
      name: f.modality,
      vectors: tf.tensor2d(f.vectors, [shape.items + 1, f.dim]),
      present: tf.tensor1d(Float32Array.from(f.present)),
    }));
    this.idKnown = tf.tensor1d(Float32Array.from(idKnown));
  }

  get config(): HafConfig {
    return this.current;
  }

  /**
   * Sets config.newItemScale (the factor on content-only item vectors), the one setting that
   * is chosen after training, on valid. Cached item tables (HafRecommender) must be rebuilt.
   */
  setNewItemScale(scale: number): void {
    this.current = resolveConfig({ ...this.current, newItemScale: scale });
  }

  /** Level 1 for `items` (int32 [M]); `hideId` (int32 [M]) marks the rows described by content only (ID dropout). */
  itemVectors(items: tf.Tensor1D, hideId?: tf.Tensor1D): ItemTowerOutput {
    const inputs: ItemTowerInputs = { content: this.content, idKnown: this.idKnown };
    return itemTower(this.config, this.tree.item, inputs, items, hideId);
  }

  /**
   * Describes `items` by their content alone from now on, as the served model describes
   * products new to its weights (items without content keep their ID row): the cold-start
   * measure. Returns what undoes it. Cached item tables (HafRecommender) must be rebuilt.
   */
  hideIds(items: ArrayLike<number>): () => void {
    const before = this.idKnown;
    const known = Float32Array.from(this.known);
    for (let k = 0; k < items.length; k++) known[items[k]!] = 0;
    this.idKnown = tf.tensor1d(known);
    return () => {
      this.idKnown.dispose();
      this.idKnown = before;
    };
  }

  /**
   * Levels 2 and 3 for every query of `batch`; `vectors` holds the batch's item rows.
   *
   * The encoded views are concatenated with one zero row, and each query's row of every view
   * is picked with ONE gather (the zero row where the query has nothing in that view), so
   * the [N, V, d] input of domain attention is built without per-view masks and tf.stack:
   * on wasm, stack is a JS loop over rows and its gradient (Unpack) copies the whole tensor
   * out of the heap once per view. The mask is built in JS. At inference with one query per
   * row (recommendation batches), the last block runs for the query positions only, unless
   * `allPositions` (the reference computation in tests).
   */
  forward(batch: Batch, vectors: tf.Tensor2D, run: EncoderRun, options: { readonly allPositions?: boolean } = {}): ForwardOutput {
    const total = this.shape.domains + 1;
    const perRow = !run.training && !options.allPositions && oneQueryPerRow(batch);
    const attentionRows = perRow ? 'query' : 'all';
    const attention: (tf.Tensor3D | null)[] = Array.from({ length: total }, () => null);
    const encoded: tf.Tensor2D[] = [];
    const start = new Int32Array(total).fill(-1); // first row of view v in `states`, -1: not encoded
    let rows = 0;
    for (let v = 0; v < total; v++) {
      const view = batch.views[v];
      const encoder = this.tree.views[v];
      if (!view || view.length === 0 || !encoder) continue;
      const x = tf.reshape(gatherRows(vectors, tf.tensor1d(view.items, 'int32')), [batch.rows, view.length, this.config.dim]) as tf.Tensor3D;
      const queries = perRow ? Int32Array.from(batch.queryPosition[v]!, (p, q) => (p >= 0 ? p - q * view.length : 0)) : undefined;
      const out = encodeView(this.config, encoder, x, tf.tensor2d(view.mask, [batch.rows, view.length]), run, queries);
      attention[v] = out.attention;
      const length = queries ? 1 : view.length;
      encoded.push(tf.reshape(out.hidden, [batch.rows * length, this.config.dim]) as tf.Tensor2D);
      start[v] = rows;
      rows += batch.rows * length;
    }
    const states = tf.concat([...encoded, tf.zeros([1, this.config.dim])]) as tf.Tensor2D; // [rows + 1, d], last row 0
    const pick = (at: Int32Array): tf.Tensor2D => gatherRows(states, tf.tensor1d(at, 'int32'));
    const fusion = this.tree.domain; // present exactly when the config fuses views by domain attention
    if (!this.config.singleDomain && !fusion) {
      return { user: pick(queryRows(batch, [mixedView(this.shape)], start, rows, perRow)), beta: null, attention, attentionRows };
    }
    const n = batch.queryDomain.length;
    const at = queryRows(batch, Array.from({ length: total }, (_, v) => v), start, rows, perRow); // [N * V]
    const stacked = tf.reshape(pick(at), [n, total, this.config.dim]) as tf.Tensor3D; // [N, V, d]
    const targets = tf.tensor1d(batch.queryDomain, 'int32');
    if (this.config.singleDomain || !fusion) {
      return { user: selectView(stacked, tf.oneHot(targets, total).toFloat() as tf.Tensor2D), beta: null, attention, attentionRows };
    }
    const mask = tf.tensor2d(Float32Array.from(at, (r) => (r < rows ? 1 : 0)), [n, total]); // [N, V] 1 = view has history
    const { user, beta } = domainAttention(fusion, stacked, mask, targets);
    return { user, beta, attention, attentionRows };
  }

  /** [size + 1] 1 for items whose ID embedding was trained, as float32 (for saving). */
  async knownItems(): Promise<Float32Array> {
    return Float32Array.from(this.known);
  }

  /** Variables the optimizer updates, in stable name order. */
  trainable(): tf.Variable[] {
    return [...this.params.values()];
  }

  dispose(): void {
    for (const c of this.content) tf.dispose([c.vectors, c.present]);
    this.idKnown.dispose();
    for (const v of this.params.values()) v.dispose();
  }
}

/** Recommendation batches: query q is row q's, at a position of that row in every view. */
function oneQueryPerRow(batch: Batch): boolean {
  if (batch.queryDomain.length !== batch.rows) return false;
  return batch.views.every((view, v) => batch.queryPosition[v]!.every((p, q) => p < 0 || Math.floor(p / view.length) === q));
}

/**
 * Row of `states` for each query and view, query-major ([N * views.length]): the query's
 * position in view v (its row, when `perRow` encoded one position per row) offset by
 * start[v], or `zero` where the view was not encoded or the query has nothing in it.
 */
function queryRows(batch: Batch, views: readonly number[], start: Int32Array, zero: number, perRow: boolean): Int32Array {
  const n = batch.queryDomain.length;
  const out = new Int32Array(n * views.length).fill(zero);
  views.forEach((v, j) => {
    const first = start[v]!;
    const positions = batch.queryPosition[v];
    if (first < 0 || !positions) return;
    for (let q = 0; q < n; q++) {
      const p = positions[q]!;
      if (p >= 0) out[q * views.length + j] = first + (perRow ? q : p);
    }
  });
  return out;
}

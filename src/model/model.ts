/**
 * The hierarchical attention fusion model: item tower (Level 1), one encoder per view
 * (Level 2), domain attention (Level 3), dot-product scoring against the same item tower.
 * Pure tensor code: no DOM, no storage. Every method that returns tensors is meant to run
 * inside tf.tidy (the caller owns the result).
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../catalog/features.ts';
import type { Batch } from './batch.ts';
import type { HafConfig } from './config.ts';
import { domainAttention, selectView } from './domain-attention.ts';
import { encodeView, type EncoderRun } from './encoder.ts';
import { itemTower, type ContentTensors, type ItemTowerInputs, type ItemTowerOutput } from './item-tower.ts';
import { gatherRows } from './ops.ts';
import { activeViews, checkParams, mixedView, viewName, type ModelShape, type ParamMap } from './params.ts';

export interface ForwardOutput {
  readonly user: tf.Tensor2D; // [N, d]
  /** [N, V] weight of each view (domains 0..K-1, then mixed); null without domain attention. */
  readonly beta: tf.Tensor2D | null;
  /** Per view: [B, T, T] last-block attention over positions, or null when the view is empty. */
  readonly attention: (tf.Tensor3D | null)[];
}

export const INFERENCE: EncoderRun = { training: false, seed: () => 0 };

export class HafModel {
  readonly views: readonly number[];
  private readonly inputs: ItemTowerInputs;
  private readonly known: Uint8Array;

  constructor(
    readonly config: HafConfig,
    readonly shape: ModelShape,
    readonly params: ParamMap,
    content: readonly FeatureTable[],
    idKnown: Uint8Array,
  ) {
    checkParams(config, shape, params);
    this.views = activeViews(config, shape);
    this.known = idKnown;
    const used = config.idOnly ? [] : content;
    this.inputs = {
      content: used.map((f): ContentTensors => ({
        name: f.modality,
        vectors: tf.tensor2d(f.vectors, [shape.items + 1, f.dim]),
        present: tf.tensor1d(Float32Array.from(f.present)),
      })),
      idKnown: tf.tensor1d(Float32Array.from(idKnown)),
    };
  }

  /** Level 1 for `items` (int32 [M]). */
  itemVectors(items: tf.Tensor1D): ItemTowerOutput {
    return itemTower(this.config, this.params, this.inputs, items);
  }

  /**
   * Levels 2 and 3 for every query of `batch`; `vectors` holds the batch's item rows.
   *
   * The encoded views are concatenated with one zero row, and each query's row of every view
   * is picked with ONE gather (the zero row where the query has nothing in that view), so
   * the [N, V, d] input of domain attention is built without per-view masks and tf.stack:
   * on wasm, stack is a JS loop over rows and its gradient (Unpack) copies the whole tensor
   * out of the heap once per view. The mask is built in JS.
   */
  forward(batch: Batch, vectors: tf.Tensor2D, run: EncoderRun): ForwardOutput {
    const total = this.shape.domains + 1;
    const attention: (tf.Tensor3D | null)[] = Array.from({ length: total }, () => null);
    const encoded: tf.Tensor2D[] = [];
    const start = new Int32Array(total).fill(-1); // first row of view v in `states`, -1: not encoded
    let rows = 0;
    for (let v = 0; v < total; v++) {
      const view = batch.views[v];
      if (!view || view.length === 0 || !this.views.includes(v)) continue;
      const x = tf.reshape(gatherRows(vectors, tf.tensor1d(view.items, 'int32')), [batch.rows, view.length, this.config.dim]) as tf.Tensor3D;
      const out = encodeView(this.config, this.params, `enc.${viewName(this.shape, v)}`, x, tf.tensor2d(view.mask, [batch.rows, view.length]), run);
      attention[v] = out.attention;
      encoded.push(tf.reshape(out.hidden, [batch.rows * view.length, this.config.dim]) as tf.Tensor2D);
      start[v] = rows;
      rows += batch.rows * view.length;
    }
    const states = tf.concat([...encoded, tf.zeros([1, this.config.dim])]) as tf.Tensor2D; // [rows + 1, d], last row 0
    const pick = (at: Int32Array): tf.Tensor2D => gatherRows(states, tf.tensor1d(at, 'int32'));
    if (!this.config.singleDomain && !this.config.domainAttention) {
      return { user: pick(queryRows(batch, [mixedView(this.shape)], start, rows)), beta: null, attention };
    }
    const n = batch.queryDomain.length;
    const at = queryRows(batch, Array.from({ length: total }, (_, v) => v), start, rows); // [N * V]
    const stacked = tf.reshape(pick(at), [n, total, this.config.dim]) as tf.Tensor3D; // [N, V, d]
    const targets = tf.tensor1d(batch.queryDomain, 'int32');
    if (this.config.singleDomain) {
      return { user: selectView(stacked, tf.oneHot(targets, total).toFloat() as tf.Tensor2D), beta: null, attention };
    }
    const mask = tf.tensor2d(Float32Array.from(at, (r) => (r < rows ? 1 : 0)), [n, total]); // [N, V] 1 = view has history
    const { user, beta } = domainAttention(this.params, stacked, mask, targets);
    return { user, beta, attention };
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
    for (const c of this.inputs.content) tf.dispose([c.vectors, c.present]);
    this.inputs.idKnown.dispose();
    for (const v of this.params.values()) v.dispose();
  }
}

/**
 * Row of `states` for each query and view, query-major ([N * views.length]): the query's
 * position in view v offset by start[v], or `zero` where the view was not encoded or the
 * query has nothing in it.
 */
function queryRows(batch: Batch, views: readonly number[], start: Int32Array, zero: number): Int32Array {
  const n = batch.queryDomain.length;
  const out = new Int32Array(n * views.length).fill(zero);
  views.forEach((v, j) => {
    const first = start[v]!;
    const positions = batch.queryPosition[v];
    if (first < 0 || !positions) return;
    for (let q = 0; q < n; q++) {
      const p = positions[q]!;
      if (p >= 0) out[q * views.length + j] = first + p;
    }
  });
  return out;
}

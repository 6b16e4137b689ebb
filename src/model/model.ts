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

  /** Levels 2 and 3 for every query of `batch`; `vectors` holds the batch's item rows. */
  forward(batch: Batch, vectors: tf.Tensor2D, run: EncoderRun): ForwardOutput {
    const n = batch.queryDomain.length;
    const d = this.config.dim;
    const total = this.shape.domains + 1;
    const perView: tf.Tensor2D[] = [];
    const masks: tf.Tensor1D[] = [];
    const attention: (tf.Tensor3D | null)[] = Array.from({ length: total }, () => null);
    for (let v = 0; v < total; v++) {
      const view = batch.views[v];
      const positions = batch.queryPosition[v] as Int32Array;
      if (!view || view.length === 0 || !this.views.includes(v)) {
        perView.push(tf.zeros([n, d]));
        masks.push(tf.zeros([n]));
        continue;
      }
      const rows = batch.rows;
      const x = tf.reshape(gatherRows(vectors, tf.tensor1d(view.items, 'int32')), [rows, view.length, d]) as tf.Tensor3D;
      const out = encodeView(this.config, this.params, `enc.${viewName(this.shape, v)}`, x, tf.tensor2d(view.mask, [rows, view.length]), run);
      attention[v] = out.attention;
      const present = Float32Array.from(positions, (p) => (p >= 0 ? 1 : 0));
      const flat = tf.reshape(out.hidden, [rows * view.length, d]) as tf.Tensor2D;
      const picked = gatherRows(flat, tf.tensor1d(Int32Array.from(positions, (p) => Math.max(p, 0)), 'int32'));
      perView.push(tf.mul(picked, tf.expandDims(tf.tensor1d(present), 1)) as tf.Tensor2D);
      masks.push(tf.tensor1d(present));
    }
    const stacked = tf.stack(perView, 1) as tf.Tensor3D; // [N, V, d]
    const targets = tf.tensor1d(batch.queryDomain, 'int32');
    if (this.config.singleDomain) {
      return { user: selectView(stacked, tf.oneHot(targets, total).toFloat() as tf.Tensor2D), beta: null, attention };
    }
    if (!this.config.domainAttention) return { user: perView[mixedView(this.shape)] as tf.Tensor2D, beta: null, attention };
    const { user, beta } = domainAttention(this.params, stacked, tf.stack(masks, 1) as tf.Tensor2D, targets);
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

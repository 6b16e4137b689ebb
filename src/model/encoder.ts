/**
 * Level 2: one causal pre-LN transformer encoder per view (a domain's own items, or the
 * mixed history). Histories are left-aligned: position p is the p-th item of the view, so
 * a prefix is encoded exactly as it will be at recommendation time.
 */
import * as tf from '@tensorflow/tfjs';
import type { HafConfig } from './config.ts';
import { customOp } from './custom-op.ts';
import { dense, matMul, matMulBT, sumRows } from './ops.ts';
import type { BlockParams, LayerNormParams, ViewEncoderParams } from './param-tree.ts';
import { fusedLayerNormValue, LAYER_NORM_EPSILON } from './wasm-layer-norm.ts';
import { ModelError } from './errors.ts';

export interface EncoderRun {
  readonly training: boolean;
  /** Dropout seed source; used only when training. */
  readonly seed: () => number;
}

export interface EncoderOutput {
  readonly hidden: tf.Tensor3D; // [B, T, d], or [B, 1, d] for the query positions only
  /** Last block's attention, heads averaged: [B, T, T] (row = query position), or [B, 1, T]. */
  readonly attention: tf.Tensor3D;
}

/** A forward pass without dropout or gradients (recommendation, evaluation). */
export const INFERENCE: EncoderRun = { training: false, seed: () => 0 };

const NEG = -1e9;

/**
 * Inverted dropout. The mask (0, or 1 / (1 - rate) with probability 1 - rate) is drawn in JS
 * from a seeded mulberry32 and uploaded once: tf.randomUniform (itself filled element by
 * element in JS) plus step/sub/scale made five kernels per call, and a training step with
 * the default config calls dropout ~27 times.
 */
export function dropout(x: tf.Tensor, rate: number, run: EncoderRun): tf.Tensor {
  if (!run.training || rate <= 0) return x;
  return tf.mul(x, tf.tensor(dropoutMask(x.size, rate, run.seed()), x.shape));
}

/**
 * The mask of createRng(seed) (rng.ts): element i is kept when the i-th next() >= rate.
 * Written out here in int32 arithmetic because a default training step draws ~2.9 M of
 * them: next() / 2^32 >= rate is exactly u32 >= ceil(rate * 2^32), compared as int32 with
 * the sign bit flipped, and the element is picked from a [0, scale] table instead of a
 * branch that mispredicts on random data (measured 3.1 -> 0.8 ms per 131 k elements).
 */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const mask = new Float32Array(size);
  const cut = Math.ceil(rate * 4294967296);
  if (cut >= 4294967296) return mask;
  const threshold = (cut ^ 0x80000000) | 0;
  const values = new Float32Array([0, 1 / (1 - rate)]);
  let a = (seed >>> 0 || 0x9e3779b9) | 0;
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= (t + Math.imul(t ^ (t >>> 7), t | 61)) | 0;
    mask[i] = values[+(((t ^ (t >>> 14)) ^ 0x80000000) >= threshold)] as number;
  }
  return mask;
}

/**
 * Layer norm over the last axis with a hand-written gradient: autograd through tf.moments
 * and its broadcasts took ~3x the kernels (each ~20 us of overhead on wasm).
 * y = xhat * g + b, xhat = (x - mean) / sqrt(var + 1e-6);
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * g.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const d = x.shape[x.rank - 1] as number;
  return customOp((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const centered = tf.sub(xs, tf.mean(xs, -1, true));
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), LAYER_NORM_EPSILON)); // [..., 1]
    const xhat = tf.mul(centered, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sr, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const dxhat = tf.mul(dy, sg);
        const inner = tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(sx, tf.mean(tf.mul(dxhat, sx), -1, true)));
        const rows = tf.reshape(dy, [-1, d]);
        return [tf.mul(inner, sr), sumRows(tf.mul(rows, tf.reshape(sx, [-1, d]))), sumRows(rows)];
      },
    };
  }, x, gamma, beta);
}

/** One of the encoder's layer norms; outside training, the value-only fused kernel where there is one. */
function norm(x: tf.Tensor, p: LayerNormParams, run: EncoderRun): tf.Tensor {
  return (run.training ? undefined : fusedLayerNormValue(x, p.g, p.b)) ?? layerNorm(x, p.g, p.b);
}

const lowerTriangles = new Map<number, Float32Array>();

/**
 * [T, T] lower triangle of ones, built in JS once per length: tf.linalg.bandPart broadcasts
 * int32 ranges through wasm's generic path, ~0.6 ms per call (twice per recommendation).
 */
function lowerTriangle(t: number): tf.Tensor2D {
  let data = lowerTriangles.get(t);
  if (!data) {
    data = new Float32Array(t * t);
    for (let row = 0; row < t; row++) data.fill(1, row * t, row * t + row + 1);
    lowerTriangles.set(t, data);
  }
  return tf.tensor2d(data, [t, t]);
}

/** Additive mask [B, T, T]: 0 where query t may attend to key s (s <= t, s real), else -1e9. */
function attentionBias(mask: tf.Tensor2D): tf.Tensor3D {
  const t = mask.shape[1];
  const causal = lowerTriangle(t); // [T, T]
  const allowed = tf.mul(causal, tf.expandDims(mask, 1)); // [B, T, T]
  return tf.mul(tf.sub(1, allowed), NEG) as tf.Tensor3D;
}

/**
 * Attention of the queries xq [B, Tq, d] over keys and values from xkv [B, T, d] (the same
 * tensor, except when only the last block's query positions are computed); bias [B, Tq, T].
 */
function selfAttention(
  config: HafConfig,
  p: BlockParams,
  xq: tf.Tensor3D,
  xkv: tf.Tensor3D,
  bias: tf.Tensor3D,
  run: EncoderRun,
): { out: tf.Tensor3D; probs: tf.Tensor3D } {
  const [b, tq, d] = xq.shape;
  const t = xkv.shape[1];
  const h = config.heads;
  const dh = d / h;
  const split = (y: tf.Tensor, rows: number): tf.Tensor3D =>
    h === 1 ? (y as tf.Tensor3D) : (tf.reshape(tf.transpose(tf.reshape(y, [b, rows, h, dh]), [0, 2, 1, 3]), [b * h, rows, dh]) as tf.Tensor3D);
  const q = split(dense(xq, p.wq as tf.Tensor2D), tq); // [B*H, Tq, dh]
  const k = split(dense(xkv, p.wk as tf.Tensor2D), t); // [B*H, T, dh]
  const v = split(dense(xkv, p.wv as tf.Tensor2D), t);
  let scores = tf.mul(matMulBT(q, k), 1 / Math.sqrt(dh)); // [B*H, Tq, T]
  scores = h === 1 ? tf.add(scores, bias) : tf.reshape(tf.add(tf.reshape(scores, [b, h, tq, t]), tf.expandDims(bias, 1)), [b * h, tq, t]);
  const probs = tf.softmax(scores) as tf.Tensor3D; // [B*H, Tq, T]
  const ctx = matMul(dropout(probs, config.dropout, run) as tf.Tensor3D, v); // [B*H, Tq, dh]
  const merged = h === 1 ? ctx : tf.reshape(tf.transpose(tf.reshape(ctx, [b, h, tq, dh]), [0, 2, 1, 3]), [b, tq, d]);
  const out = dense(merged, p.wo as tf.Tensor2D) as tf.Tensor3D;
  const meanProbs = h === 1 ? probs : (tf.mean(tf.reshape(probs, [b, h, tq, t]), 1) as tf.Tensor3D);
  return { out, probs: meanProbs };
}

/** h + FFN(LN2(h)) (pre-LN feed-forward half of a block), masked to real positions. */
function feedForward(config: HafConfig, p: BlockParams, h: tf.Tensor3D, mask3: tf.Tensor, run: EncoderRun): tf.Tensor3D {
  const n = norm(h, p.ln2, run);
  const f1 = tf.relu(dense(n, p.ff1.w as tf.Tensor2D, p.ff1.b as tf.Tensor1D));
  const f2 = dense(dropout(f1, config.dropout, run), p.ff2.w as tf.Tensor2D, p.ff2.b as tf.Tensor1D);
  return tf.mul(tf.add(h, dropout(f2, config.dropout, run)), mask3) as tf.Tensor3D;
}

/**
 * The last block for one position per row (`at` [B, 2]: row, position): keys and values
 * from every position, everything else for that position only. Inference only.
 */
function queryBlock(config: HafConfig, p: BlockParams, h: tf.Tensor3D, bias: tf.Tensor3D, mask: tf.Tensor2D, at: tf.Tensor2D): { h: tf.Tensor3D; probs: tf.Tensor3D } {
  const [b, t, d] = h.shape;
  const n = norm(h, p.ln1, INFERENCE) as tf.Tensor3D; // [B, T, d]
  const pick = (x: tf.Tensor, shape: [number, number, number]): tf.Tensor3D => tf.reshape(tf.gatherND(x, at), shape) as tf.Tensor3D;
  const a = selfAttention(config, p, pick(n, [b, 1, d]), n, pick(bias, [b, 1, t]), INFERENCE);
  const hq = tf.add(pick(h, [b, 1, d]), a.out) as tf.Tensor3D; // [B, 1, d]
  return { h: feedForward(config, p, hq, pick(mask, [b, 1, 1]), INFERENCE), probs: a.probs };
}

/**
 * Encodes item vectors x [B, T, d] with real-item mask [B, T]; call inside tf.tidy. With
 * `queries` (inference only: the one position per row whose output is wanted) the last
 * block runs for those positions alone: hidden is [B, 1, d] and attention [B, 1, T].
 */
export function encodeView(
  config: HafConfig,
  params: ViewEncoderParams,
  x: tf.Tensor3D,
  mask: tf.Tensor2D,
  run: EncoderRun,
  queries?: Int32Array,
): EncoderOutput {
  if (queries && run.training) throw new ModelError('encodeView: queries are for inference only');
  const t = x.shape[1];
  const mask3 = tf.expandDims(mask, 2); // [B, T, 1]
  const pos = tf.slice(params.pos, [0, 0], [t, config.dim]); // [T, d]
  let h = tf.mul(dropout(tf.add(x, pos), config.dropout, run), mask3) as tf.Tensor3D; // [B, T, d]
  const bias = attentionBias(mask);
  let probs: tf.Tensor3D | undefined;
  for (const [i, p] of params.blocks.entries()) {
    if (queries && i === params.blocks.length - 1) {
      const at = tf.tensor2d(Int32Array.from({ length: queries.length * 2 }, (_, j) => (j % 2 === 0 ? j / 2 : queries[(j - 1) / 2]!)), [queries.length, 2], 'int32');
      ({ h, probs } = queryBlock(config, p, h, bias, mask, at));
      break;
    }
    const n = norm(h, p.ln1, run) as tf.Tensor3D;
    const a = selfAttention(config, p, n, n, bias, run);
    probs = a.probs;
    h = feedForward(config, p, tf.add(h, dropout(a.out, config.dropout, run)) as tf.Tensor3D, mask3, run);
  }
  const hidden = norm(h, params.lnf, run) as tf.Tensor3D;
  return { hidden, attention: probs ?? (tf.zeros([x.shape[0], queries ? 1 : t, t]) as tf.Tensor3D) };
}

/**
 * Differentiable ops with hand-written gradients. Measured here: tf.gather's built-in gradient needs
 * UnsortedSegmentSum (missing on wasm, ~26 s on cpu), and matMul's built-in gradient uses the
 * transpose flags that are 7-13x slower on wasm for 2-D operands. 2-D products here transpose
 * explicitly (batched ones use the flags, or on wasm a depthwise convolution, see product()),
 * and gradients scatter with scatterND (which sums duplicate indices). Row lookups use
 * gatherND: on wasm tf.gather (GatherV2) copies element by element, ~20x slower for [8,800]
 * rows of 256 floats.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp, type Arg } from './custom-op.ts';

/** Smallest normal float32. */
const FLT_MIN = 1.1754944e-38;

// The forward of a tape runs in a tidy and customGrad's forward in another: anything the
// backward needs (inputs, indices) must go through save(), never a closure.

/**
 * Swaps the last two axes (explicit copy: cheaper on wasm than a transposed matMul). A 2-D
 * [rows, c] with rows a multiple of 1024 goes through [rows / 64, 64, c] -> [c, rows / 64,
 * 64]: tfjs-wasm's 2-D transpose writes with a stride of `rows` floats, which for those row
 * counts maps every write of a row to the same cache set (measured [2048, 64]: 0.53 ms 2-D,
 * 0.20 ms this way; for other row counts 2-D is the faster one).
 */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const rank = x.rank;
  if (rank < 2) throw new RangeError(`transposeLast needs rank >= 2, got ${rank}`);
  if (rank === 2 && cacheAliased(x.shape[0] as number)) {
    const [rows, cols] = x.shape as [number, number];
    return tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [rows / 64, 64, cols]), [2, 0, 1]), [cols, rows]));
  }
  const perm = [...Array(rank).keys()];
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return tf.transpose(x, perm);
}

const cacheAliased = (rows: number): boolean => rows >= 1024 && rows % 1024 === 0;

/**
 * Sum over the rows of x [rows, c] -> [c] (bias and layer-norm gains). tfjs-wasm reduces a
 * leading axis by transposing it last first, the same cache-set aliasing as transposeLast
 * for row counts that are multiples of 1024 ([2048, 64]: 0.69 ms, 0.35 ms as [32, 64, 64]).
 */
export function sumRows(x: tf.Tensor): tf.Tensor1D {
  const [rows, cols] = x.shape as [number, number];
  if (x.rank === 2 && cacheAliased(rows)) return tf.tidy(() => tf.sum(tf.reshape(x, [rows / 64, 64, cols]), [0, 1]));
  return tf.sum(x, 0);
}

/**
 * a^T? @ b^T? choosing per rank how to transpose: rank 2 goes to XNNPACK, where the
 * transpose flags are 7-13x slower than an explicit transpose; rank 3 (batched) goes to
 * tfjs-wasm's own loop, where the flags cost nothing and an explicit transpose is a
 * kernel more (measured: [293, 7, 64] x [293, 64, 7] 3.0 ms explicit vs 1.2 ms flag),
 * except on wasm where a depthwise convolution does it faster (see batchedProductPays).
 */
function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (a.rank === 3 && a.shape[0] === 1 && tf.getBackend() === 'wasm') return singleProduct(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB);
  if (a.rank === 3) {
    const [x, y] = [a as tf.Tensor3D, b as tf.Tensor3D];
    const m = transposeA ? x.shape[2] : x.shape[1];
    const n = transposeB ? y.shape[1] : y.shape[2];
    if (tf.getBackend() === 'wasm' && batchedProductPays(m, n)) return batchedProductByConv(x, y, transposeA, transposeB);
    return tf.matMul(x, y, transposeA, transposeB);
  }
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b);
}

/**
 * A batch of one (one shopper) on wasm: XNNPACK's matMul directly without transposes (26 us
 * for [1, 50, 50] x [1, 50, 64] against 57 us by convolution), else as 2-D products with
 * explicit transposes (its transpose flags are the slow path).
 */
function singleProduct(a: tf.Tensor3D, b: tf.Tensor3D, transposeA: boolean, transposeB: boolean): tf.Tensor3D {
  if (!transposeA && !transposeB) return tf.matMul(a, b);
  const [x, y] = [tf.squeeze(a, [0]) as tf.Tensor2D, tf.squeeze(b, [0]) as tf.Tensor2D];
  return tf.expandDims(product(x, y, transposeA, transposeB), 0) as tf.Tensor3D;
}

/**
 * tfjs-wasm runs a batched matMul (batch > 1) in a scalar loop at ~15 ns per output element
 * plus ~1 ns per multiply-add; XNNPACK's depthwise convolution is a grouped GEMM. Measured
 * on [B, T, T] x [B, T, 64] with B * T = 2048: T = 4 2.3 -> 0.7 ms, T = 50 11 -> 2.5 ms; for
 * [B, T, 64] x [B, 64, T] (tiny output rows) the loop stays faster below T ~ 8.
 */
function batchedProductPays(m: number, n: number): boolean {
  return m >= 2 && (n >= 32 || (m >= 8 && n >= 8));
}

/**
 * Batched a^T? @ b^T? ([B, m, k] x [B, k, n] -> [B, m, n]) as ONE depthwise convolution:
 * channel c = batch item, a_c laid out as an [m, k] image (one row per output row, the
 * kernel spans the whole width), b_c as the [1, k] kernel with channel multiplier n, so
 * out[0, i, 0, c * n + j] = sum_s a_c[i, s] * b_c[s, j]. The three 3-D transposes are
 * cheap copies next to the product. Same sums as matMul (float rounding order aside).
 */
export function batchedProductByConv(a: tf.Tensor3D, b: tf.Tensor3D, transposeA: boolean, transposeB: boolean): tf.Tensor3D {
  const batch = a.shape[0];
  const [m, k] = transposeA ? [a.shape[2], a.shape[1]] : [a.shape[1], a.shape[2]];
  const n = transposeB ? b.shape[1] : b.shape[2];
  return tf.tidy(() => {
    const image = tf.reshape(tf.transpose(a, transposeA ? [2, 1, 0] : [1, 2, 0]), [1, m, k, batch]) as tf.Tensor4D; // [1, m, k, B]
    const kernel = tf.reshape(tf.transpose(b, transposeB ? [2, 0, 1] : [1, 0, 2]), [1, k, batch, n]) as tf.Tensor4D; // [1, k, B, n]
    const out = tf.depthwiseConv2d(image, kernel, 1, 'valid'); // [1, m, 1, B * n]
    return tf.transpose(tf.reshape(out, [m, batch, n]), [1, 0, 2]) as tf.Tensor3D;
  });
}

/** a @ b (rank 2, or rank 3 batched) with explicit-transpose gradients. */
export function matMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  return customOp<T>((...args: Arg[]) => {
    const [x, y, save] = args as [T, T, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: product(x, y, false, false),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [T, T];
        return [product(dy, sy, false, true), product(sx, dy, true, false)];
      },
    };
  }, a, b);
}

/** a @ b^T with explicit-transpose gradients: a [..., n, k], b [..., m, k] -> [..., n, m]. */
export function matMulBT<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  return customOp<T>((...args: Arg[]) => {
    const [x, y, save] = args as [T, T, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: product(x, y, false, true),
      // dX = G @ Y ; dY = G^T @ X
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [T, T];
        return [product(dy, sy, false, false), product(dy, sx, true, false)];
      },
    };
  }, a, b);
}

/** x [..., k] @ w [k, n] (+ bias [n]) for any leading shape, via a 2-D matMul. */
export function dense(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const k = x.shape[x.rank - 1] as number;
  const lead = x.shape.slice(0, -1);
  const rows = tf.reshape(x, [-1, k]) as tf.Tensor2D;
  const y = bias ? affine(rows, w, bias) : matMul(rows, w); // [rows, n]
  return tf.reshape(y, [...lead, w.shape[1]]);
}

/**
 * x @ w + b with the bias gradient from sumRows (autograd of the broadcast add reduces
 * with tf.sum over axis 0, see sumRows), and dX, dW as in matMul.
 */
function affine(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return customOp<tf.Tensor2D>((...args: Arg[]) => {
    const [xs, ws, bs, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xs, ws]);
    return {
      value: tf.add(tf.matMul(xs, ws), bs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [product(dy, sw, false, true), product(sx, dy, true, false), sumRows(dy)];
      },
    };
  }, x, w, bias);
}

/**
 * dense() for a constant input x [n, k] (frozen features): the backward computes only dW
 * and db, not the unused dX, which for [8,800 x 256] inputs cost a matMul and a transpose.
 */
export function denseFrozenInput(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return customOp<tf.Tensor2D>((...args: Arg[]) => {
    const [wv, bv, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([x]);
    return {
      value: tf.add(tf.matMul(x, wv), bv),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(transposeLast(saved[0]!) as tf.Tensor2D, dy as tf.Tensor2D), sumRows(dy)],
    };
  }, w, bias);
}

/**
 * tanh with a hand-written gradient, dy * (1 - y^2). On wasm the value is 2 sigmoid(2x) - 1:
 * tfjs-wasm's Tanh is a scalar loop (~25 ns per element, 13 ms for [17600, 32]) while its
 * Sigmoid is XNNPACK's vectorized one (0.8 ms; the whole identity 1.4 ms). Same function;
 * the two differ by at most ~2e-7 (absolute) in float32.
 */
export function tanh<T extends tf.Tensor>(x: T): T {
  return customOp<T>((...args: Arg[]) => {
    const [xs, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const y = tf.getBackend() === 'wasm' ? tf.sub(tf.mul(tf.sigmoid(tf.mul(xs, 2)), 2), 1) : tf.tanh(xs);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sub(1, tf.square(saved[0]!))),
    };
  }, x);
}

// Autograd of tf.sum broadcasts the incoming gradient by multiplying it with a ones tensor
// that tfjs fills in JS (makeOnesTypedArray): a JS loop and one more full-size kernel per
// sum. The two weighted sums below over [N, V, *] carry their own gradients instead.

/** sum_v w[n, v] * x[n, v, :]: weights w [N, V], rows x [N, V, d] -> [N, d]. */
export function weightedSum(w: tf.Tensor2D, x: tf.Tensor3D): tf.Tensor2D {
  return customOp<tf.Tensor2D>((...args: Arg[]) => {
    const [ws, xs, save] = args as [tf.Tensor2D, tf.Tensor3D, tf.GradSaveFunc];
    const w3 = tf.expandDims(ws, 2); // [N, V, 1]
    save([w3, xs]);
    return {
      value: tf.sum(tf.mul(w3, xs), 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sw, sx] = saved as [tf.Tensor3D, tf.Tensor3D];
        const d3 = tf.expandDims(dy, 1); // [N, 1, d]
        return [tf.sum(tf.mul(sx, d3), 2), tf.mul(sw, d3)];
      },
    };
  }, w, x);
}

/** sum_a x[n, v, a] * y[n, a]: x [N, V, a], y [N, a] -> [N, V]. */
export function rowDot(x: tf.Tensor3D, y: tf.Tensor2D): tf.Tensor2D {
  return customOp<tf.Tensor2D>((...args: Arg[]) => {
    const [xs, ys, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
    const y3 = tf.expandDims(ys, 1); // [N, 1, a]
    save([xs, y3]);
    return {
      value: tf.sum(tf.mul(xs, y3), 2),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [tf.Tensor3D, tf.Tensor3D];
        const d3 = tf.expandDims(dy, 2); // [N, V, 1]
        return [tf.mul(d3, sy), tf.sum(tf.mul(sx, d3), 1)];
      },
    };
  }, x, y);
}

/** Rows of `table` [V, ...] at `indices` (int32 [N]) -> [N, ...], no gradient (frozen tables). */
export function takeRows<T extends tf.Tensor>(table: T, indices: tf.Tensor1D): T {
  return tf.gatherND(table, tf.reshape(indices, [-1, 1])) as T;
}

/**
 * Rows of `table` [V, d] at `indices` (int32 [N]) -> [N, d]. The gradient scatters the
 * incoming rows back with scatterND (duplicates summed) instead of UnsortedSegmentSum.
 */
export function gatherRows(table: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  const rows = table.shape[0];
  const cols = table.shape[1];
  return customOp<tf.Tensor2D>((...args: Arg[]) => {
    const [t, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([indices]);
    return {
      value: takeRows(t, indices) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.scatterND(tf.reshape(saved[0]!, [-1, 1]), dy, [rows, cols])],
    };
  }, table);
}

/**
 * Sum over rows of the softmax cross-entropy of logits U @ V^T against `labels` (column
 * index per row), fused so the backward pass is two plain matMuls and a scatter:
 * dU = (P - Y) V, dV = (P - Y)^T U. u [N, d], v [M, d], labels int32 [N]; returns a scalar.
 *
 * The [N, M] matrix dominates a training step, so it is touched as few times as possible:
 * one fused Softmax kernel gives P (kept for the backward pass, no second exp), and the
 * loss reads only P at each row's label: -log p[label]. That is exact while p[label] is a
 * normal float32 (true-label logit at most ~87 below the row's largest); a row past that
 * is clamped at -log(FLT_MIN) = 87.3 instead of being -inf. Only the reported value is
 * clamped: the gradient (P - Y) never depends on it. (Two Max reductions over [N, M] and a
 * gather of V's label rows for a max/log-sum-exp form cost ~8% of this loss on wasm.)
 * The incoming scale multiplies the [N, d] and [M, d] results instead of P.
 */
export function softmaxCrossEntropySum(u: tf.Tensor2D, v: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  // customGrad runs the forward in its own tidy: what the backward needs goes through save().
  return customOp<tf.Scalar>((...args: Arg[]) => {
    const [xu, yv, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const logits = tf.matMul(xu, transposeLast(yv) as tf.Tensor2D); // [N, M]
    const p = tf.softmax(logits) as tf.Tensor2D; // [N, M]
    const rows = xu.shape[0];
    const at = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(yv.shape[0], 'int32')), labels); // [N] row * M + label
    const picked = tf.maximum(tf.gatherND(tf.reshape(p, [-1]), tf.reshape(at, [-1, 1])), FLT_MIN); // [N]
    save([p, xu, yv, labels]);
    return {
      value: tf.neg(tf.sum(tf.log(picked))) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sp, su, sv, sl] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const du = tf.mul(tf.sub(tf.matMul(sp, sv), takeRows(sv, sl)), dy); // [N, d]
        // P^T U with the big matrix as the LEFT operand: U^T @ P (P on the right, which
        // XNNPACK packs on every call) measured ~1.5x the time of this transpose + matMul.
        const pu = tf.matMul(transposeLast(sp) as tf.Tensor2D, su); // [M, d]
        const hit = tf.scatterND(tf.reshape(sl, [-1, 1]), su, sv.shape);
        return [du, tf.mul(tf.sub(pu, hit), dy)];
      },
    };
  }, u, v);
}

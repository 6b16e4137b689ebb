/**
 * Differentiable ops with hand-written gradients. FACTS.md: tf.gather's built-in gradient needs
 * UnsortedSegmentSum (missing on wasm, ~26 s on cpu), and matMul's built-in gradient uses the
 * transpose flags that are 7-13x slower on wasm for 2-D operands. 2-D products here transpose
 * explicitly (batched ones use the flags, see product()), and gradients scatter with
 * scatterND (which sums duplicate indices). Row lookups use gatherND: on wasm
 * tf.gather (GatherV2) copies element by element, ~20x slower for [8,800] rows of 256 floats.
 */
import * as tf from '@tensorflow/tfjs';

type Arg = tf.Tensor | tf.GradSaveFunc;

// The forward of a tape runs in a tidy and customGrad's forward in another: anything the
// backward needs (inputs, indices) must go through save(), never a closure.

/** Swaps the last two axes (explicit copy: cheaper on wasm than a transposed matMul). */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const rank = x.rank;
  if (rank < 2) throw new RangeError(`transposeLast needs rank >= 2, got ${rank}`);
  const perm = [...Array(rank).keys()];
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return tf.transpose(x, perm);
}

/**
 * a^T? @ b^T? choosing per rank how to transpose: rank 2 goes to XNNPACK, where the
 * transpose flags are 7-13x slower than an explicit transpose; rank 3 (batched) goes to
 * tfjs-wasm's own loop, where the flags cost nothing and an explicit transpose is a
 * kernel more (measured: [293, 7, 64] x [293, 64, 7] 3.0 ms explicit vs 1.2 ms flag).
 */
function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (a.rank === 3) return tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB);
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b);
}

/** a @ b (rank 2, or rank 3 batched) with explicit-transpose gradients. */
export function matMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  const op = tf.customGrad((...args: Arg[]) => {
    const [x, y, save] = args as [T, T, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: tf.matMul(x, y) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [T, T];
        return [product(dy, sy, false, true), product(sx, dy, true, false)];
      },
    };
  });
  return op(a, b) as T;
}

/** a @ b^T with explicit-transpose gradients: a [..., n, k], b [..., m, k] -> [..., n, m]. */
export function matMulBT<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  const op = tf.customGrad((...args: Arg[]) => {
    const [x, y, save] = args as [T, T, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: product(x, y, false, true),
      // dX = G @ Y ; dY = G^T @ X
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [T, T];
        return [tf.matMul(dy as T, sy), product(dy, sx, true, false)];
      },
    };
  });
  return op(a, b) as T;
}

/** x [..., k] @ w [k, n] for any leading shape, via a 2-D matMul. */
export function dense(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const k = x.shape[x.rank - 1] as number;
  const lead = x.shape.slice(0, -1);
  const y = matMul(tf.reshape(x, [-1, k]) as tf.Tensor2D, w); // [rows, n]
  const out = bias ? tf.add(y, bias) : y;
  return tf.reshape(out, [...lead, w.shape[1]]);
}

/**
 * dense() for a constant input x [n, k] (frozen features): the backward computes only dW
 * (and db), not the unused dX, which for [8,800 x 256] inputs cost a matMul and a transpose.
 */
export function denseFrozenInput(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: Arg[]) => {
    const [wv, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([x]);
    return {
      value: tf.matMul(x, wv) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(transposeLast(saved[0]!) as tf.Tensor2D, dy as tf.Tensor2D)],
    };
  });
  return tf.add(op(w), bias) as tf.Tensor2D;
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
  const op = tf.customGrad((...args: Arg[]) => {
    const [t, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([indices]);
    return {
      value: takeRows(t, indices) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.scatterND(tf.reshape(saved[0]!, [-1, 1]), dy, [rows, cols])],
    };
  });
  return op(table) as tf.Tensor2D;
}

/**
 * Sum over rows of the softmax cross-entropy of logits U @ V^T against `labels` (column
 * index per row), fused so the backward pass is two plain matMuls and a scatter:
 * dU = (P - Y) V, dV = (P - Y)^T U. u [N, d], v [M, d], labels int32 [N]; returns a scalar.
 *
 * The [N, M] matrix dominates a training step, so it is touched as few times as possible:
 * one fused Softmax kernel gives P (kept for the backward pass, no second exp), and the
 * log-partition comes from P itself: lse = max(logits) - log(max(P)), exact because the
 * largest probability is exp(max - lse) and lies in [1/M, 1] (no underflow). The incoming
 * scale multiplies the [N, d] and [M, d] results instead of P.
 */
export function softmaxCrossEntropySum(u: tf.Tensor2D, v: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  // customGrad runs the forward in its own tidy: what the backward needs goes through save().
  const op = tf.customGrad((...args: Arg[]) => {
    const [xu, yv, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const logits = tf.matMul(xu, transposeLast(yv) as tf.Tensor2D); // [N, M]
    const p = tf.softmax(logits) as tf.Tensor2D; // [N, M]
    const lse = tf.sub(tf.max(logits, 1), tf.log(tf.max(p, 1))); // [N]
    const positive = tf.sum(tf.mul(xu, takeRows(yv, labels)), 1); // [N]
    save([p, xu, yv, labels]);
    return {
      value: tf.sum(tf.sub(lse, positive)) as tf.Tensor,
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
  });
  return op(u, v) as tf.Scalar;
}

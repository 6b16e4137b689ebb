/**
 * Differentiable ops with hand-written gradients. FACTS.md: tf.gather's built-in gradient needs
 * UnsortedSegmentSum (missing on wasm, ~26 s on cpu), and matMul's built-in gradient uses the
 * transpose flags that are 7-13x slower on wasm. Everything here transposes explicitly and
 * scatters with scatterND (which sums duplicate indices).
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

/** a @ b (rank 2, or rank 3 batched) with explicit-transpose gradients. */
export function matMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  const op = tf.customGrad((...args: Arg[]) => {
    const [x, y, save] = args as [T, T, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: tf.matMul(x, y) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [T, T];
        return [tf.matMul(dy as T, transposeLast(sy) as T), tf.matMul(transposeLast(sx) as T, dy as T)];
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
      value: tf.matMul(x, transposeLast(y) as T) as tf.Tensor,
      // dX = G @ Y ; dY = G^T @ X
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [T, T];
        return [tf.matMul(dy as T, sy), tf.matMul(transposeLast(dy) as T, sx)];
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
      value: tf.gather(t, indices) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.scatterND(tf.reshape(saved[0]!, [-1, 1]), dy, [rows, cols])],
    };
  });
  return op(table) as tf.Tensor2D;
}

/**
 * Sum over rows of the softmax cross-entropy of logits U @ V^T against `labels` (column
 * index per row), fused so the backward pass is two plain matMuls and a scatter:
 * dU = (P - Y) V, dV = (P - Y)^T U. u [N, d], v [M, d], labels int32 [N]; returns a scalar.
 */
export function softmaxCrossEntropySum(u: tf.Tensor2D, v: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  // customGrad runs the forward in its own tidy: what the backward needs goes through save().
  const op = tf.customGrad((...args: Arg[]) => {
    const [xu, yv, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const logits = tf.matMul(xu, transposeLast(yv) as tf.Tensor2D); // [N, M]
    const lse = tf.logSumExp(logits, 1, true); // [N, 1]
    const positive = tf.sum(tf.mul(xu, tf.gather(yv, labels)), 1); // [N]
    save([logits, lse, xu, yv, labels]);
    return {
      value: tf.sum(tf.sub(tf.reshape(lse, [-1]), positive)) as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogits, savedLse, su, sv, sl] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const scale = dy as tf.Scalar;
        const p = tf.mul(tf.exp(tf.sub(savedLogits, savedLse)), scale); // [N, M]
        const yRows = tf.mul(tf.gather(sv, sl), scale); // [N, d]
        const du = tf.sub(tf.matMul(p, sv), yRows); // [N, d]
        const pv = transposeLast(tf.matMul(transposeLast(su) as tf.Tensor2D, p)); // [M, d]
        const hit = tf.scatterND(tf.reshape(sl, [-1, 1]), tf.mul(su, scale), sv.shape);
        return [du, tf.sub(pv, hit)];
      },
    };
  });
  return op(u, v) as tf.Scalar;
}

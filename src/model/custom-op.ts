/**
 * Custom-gradient ops that cost nothing extra at inference: tf.customGrad wraps every call in
 * a kernel-like scope, even when no gradient is being recorded.
 */
import * as tf from '@tensorflow/tfjs';

export type Arg = tf.Tensor | tf.GradSaveFunc;

/** The function given to tf.customGrad: the value and its gradient from the saved tensors. */
export type CustomGradFunc = (...args: Arg[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/**
 * tf.customGrad(f)(...inputs) while a gradient tape records; otherwise (inference, or inside
 * another custom op's forward) f's value alone, in a tidy: same kernels, same value, without
 * the wrapper's ~15 us of host time per call on wasm (~40 calls per recommendation).
 */
export function customOp<T extends tf.Tensor = tf.Tensor>(f: CustomGradFunc, ...inputs: tf.Tensor[]): T {
  if (tf.engine().isTapeOn()) return tf.customGrad(f as never)(...inputs) as T;
  return tf.tidy(() => f(...inputs, () => undefined).value) as T;
}

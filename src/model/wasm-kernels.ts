/**
 * Kernel fixes for tfjs-backend-wasm 4.22 (measured in training; see trainer.ts).
 *
 * Its Identity kernel copies the tensor's bytes. The engine runs Identity (engine.clone) for
 * every tensor it keeps for the backward pass, so one default training step copied ~240 MB.
 * Tensors are immutable, so the cpu backend's Identity shares the buffer under a reference
 * count instead (wasm's own Reshape does the same): this registers that for wasm too.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmBackendLike {
  incRef(dataId: tf.DataId): void;
}

let copying: tf.KernelFunc | undefined;

const sharedIdentity: tf.KernelFunc = (args) => {
  const x = (args.inputs as { x: tf.TensorInfo }).x;
  // String tensors live in JS, not in the wasm heap: keep the original path for them.
  if (x.dtype === 'string' && copying) return copying(args);
  (args.backend as unknown as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Makes Identity share buffers on the wasm backend (idempotent; other backends untouched). */
export function shareWasmIdentity(): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current || current.kernelFunc === sharedIdentity) return;
  copying = current.kernelFunc;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ ...current, kernelFunc: sharedIdentity });
}

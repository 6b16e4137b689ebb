import type * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's backend our own kernels use (its class is not exported with these members). */
export interface WasmBackendLike {
  readonly wasm: { readonly HEAPU8: Uint8Array };
  readonly dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  incRef(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

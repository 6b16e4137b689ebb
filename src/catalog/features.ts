/**
 * Frozen per-item content vectors of one modality (CLIP image, CLIP text, lexical text),
 * indexed by internal item index. An item without that modality has present[i] = 0 and
 * must be masked by the model, never treated as a zero vector.
 */
export const MODALITIES = ['image', 'text'] as const;
export type Modality = (typeof MODALITIES)[number];

export interface FeatureTable {
  readonly modality: Modality;
  /** Which encoder made the vectors, e.g. "Xenova/clip-vit-base-patch32@main" or "lexical-v1". */
  readonly encoder: string;
  readonly dim: number;
  /** [(size + 1) * dim], row i = item i, L2-normalized; row 0 and absent rows are zeros. */
  readonly vectors: Float32Array;
  /** [size + 1] 1 where item i has this modality. */
  readonly present: Uint8Array;
}

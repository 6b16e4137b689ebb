/**
 * What a `haf` bundle's CLIP features fall back to when new catalog items cannot be embedded:
 * the typed error for each reason and the absent table the item tower masks. Shared by the
 * registry side (missing-features.ts) and the lazy CLIP chunk (clip-missing.ts).
 */
import type { FeatureTable } from '../catalog/features.ts';
import { ClipCheckpointMismatchError, ClipCheckpointMissingError, ClipEmbedFailedError } from './errors.ts';
import type { ClipBundleFeature } from './haf-bundle-file.ts';

/** Each reason's error, saying what was wrong and what is valid. */
export const clipErrors = {
  missing: (checkpoint: string, items: number) =>
    new ClipCheckpointMissingError(
      `${items} catalog items are not in the bundle and need CLIP features from ${checkpoint}; the page names no CLIP checkpoint: add data-clip (the model id or folder URL, and data-clip-revision) to the hafrec script tag`,
      checkpoint,
    ),
  mismatch: (checkpoint: string, given: string) =>
    new ClipCheckpointMismatchError(`the bundle's CLIP features come from ${checkpoint}, but the page names ${given}: valid is data-clip (and data-clip-revision) naming ${checkpoint}`, checkpoint),
  failed: (checkpoint: string, modality: string, detail: string) =>
    new ClipEmbedFailedError(
      `CLIP ${checkpoint} could not embed the ${modality} of new catalog items (${detail}); they are scored without ${modality} features. Check that data-clip serves the model files (config.json, onnx/*.onnx, tokenizer files)`,
      checkpoint,
    ),
};

/** An all-absent table of the bundle's shape: the item tower masks it out. */
export function absentTable(feature: ClipBundleFeature, size: number): FeatureTable {
  return { modality: feature.modality, encoder: feature.encoder, dim: feature.dim, vectors: new Float32Array((size + 1) * feature.dim), present: new Uint8Array(size + 1) };
}

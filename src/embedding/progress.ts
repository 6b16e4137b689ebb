import type { Modality } from '../catalog/features.ts';

/** Which device a CLIP model actually runs on (after 'auto' is resolved). */
export type ResolvedDevice = 'webgpu' | 'wasm' | 'cpu';

/**
 * Everything a long embedding job reports, one union keyed by `status` (as transformers.js
 * does): file downloads, model loading, readiness, per-batch work and cache lookups.
 */
export type EmbeddingProgress =
  | { readonly status: 'download'; readonly file: string; readonly loaded: number; readonly total: number; readonly progress: number }
  | { readonly status: 'load'; readonly part: 'config' | 'tokenizer' | 'processor' | 'text-model' | 'vision-model' }
  | { readonly status: 'ready'; readonly model: string; readonly device: ResolvedDevice; readonly ms: number }
  | { readonly status: 'cache'; readonly modality: Modality; readonly hits: number; readonly misses: number }
  | { readonly status: 'batch'; readonly modality: Modality; readonly done: number; readonly total: number; readonly ms: number };

export type ProgressCallback = (event: EmbeddingProgress) => void;

interface HfProgress {
  readonly status: string;
  readonly file?: string;
  readonly loaded?: number;
  readonly total?: number;
  readonly progress?: number;
}

/** Maps transformers.js per-file events onto ours (aggregate 'progress_total' is dropped). */
export function fromHfProgress(event: HfProgress): EmbeddingProgress | undefined {
  if (!event.file) return undefined;
  switch (event.status) {
    case 'initiate':
    case 'download':
      return { status: 'download', file: event.file, loaded: 0, total: event.total ?? 0, progress: 0 };
    case 'progress':
      return { status: 'download', file: event.file, loaded: event.loaded ?? 0, total: event.total ?? 0, progress: event.progress ?? 0 };
    case 'done':
      return { status: 'download', file: event.file, loaded: event.total ?? 0, total: event.total ?? 0, progress: 100 };
    default:
      return undefined;
  }
}

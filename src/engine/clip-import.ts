/**
 * transformers.js for the engine's two CLIP paths (a CLIP bundle's missing items, clip-missing.ts,
 * and the embedding requests, embedding/embedding-serve.ts), imported only when one of them
 * needs the model: Node loads it directly; browsers through clip-load.ts's chunk, which
 * registers ONNX Runtime's files on the page's own origin (Node has no origin to resolve them on).
 */
import { isNodeRuntime } from '../embedding/devices.ts';

export type ClipModule = Pick<typeof import('../embedding/clip-embedder.ts'), 'loadClipEmbedder' | 'setBrowserCaches'>;

export function importClip(): Promise<ClipModule> {
  return isNodeRuntime() ? import('../embedding/clip-embedder.ts') : import('./clip-load.ts');
}

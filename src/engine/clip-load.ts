/**
 * The heavy half of CLIP in the storefront worker (its own lazy chunk): transformers.js and the
 * ONNX Runtime files, registered from the shop's own origin. Imported only when a new catalog
 * item misses the embedding cache, so a visit whose items are all cached never downloads it.
 */
import '../embedding/ort-assets.ts';

export { loadClipEmbedder, setBrowserCaches } from '../embedding/clip-embedder.ts';

/**
 * The heavy half of CLIP in the engine worker (its own lazy chunk, reached through
 * clip-import.ts): transformers.js and the ONNX Runtime files, registered from the page's own
 * origin. Imported only when a shop's new catalog item misses the embedding cache, or when a
 * page loads CLIP for its embedding requests; a visit that asks for neither never downloads it.
 */
import '../embedding/ort-assets.ts';

export { loadClipEmbedder, setBrowserCaches } from '../embedding/clip-embedder.ts';

/**
 * Browser-only: ONNX Runtime's wasm runtime files, emitted by Vite as assets of this app
 * (`?url` imports copy them into the build and give their same-origin URL), so transformers.js
 * never fetches them from a CDN. Importing this module registers them as the default.
 * transformers.js 4.x loads the asyncify build (it serves both the wasm and WebGPU providers).
 * `no-inline`: the storefront worker is a Vite library build, which would otherwise inline them.
 */
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url&no-inline';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url&no-inline';
import { setDefaultOrtWasmPaths, type OrtWasmPaths } from './clip-embedder.ts';

// A page's or a worker's location. Node type-checks this module (src/engine/clip-missing.ts
// reaches it through an import it takes only in a browser) but never loads it.
const baseHref = (globalThis as { location?: { readonly href: string } }).location!.href;

export const ORT_WASM_PATHS: OrtWasmPaths = {
  mjs: new URL(ortMjs, baseHref).href,
  wasm: new URL(ortWasm, baseHref).href,
};

setDefaultOrtWasmPaths(ORT_WASM_PATHS);

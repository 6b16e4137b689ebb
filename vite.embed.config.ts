import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';

/**
 * The storefront tag, built into the app's dist/:
 * - default mode -> dist/embed.js, a classic script (IIFE) a store pastes with `async`;
 * - `--mode worker` -> dist/embed-worker.js (ES module worker) and the chunks it lazy-loads.
 * The tag finds the worker next to itself. `hafrecEmbedPlugin` (used by vite.config.ts) runs
 * both after every app build, so a plain `vite build` always ships the tag.
 */
const EMBED_CONFIG = resolve(import.meta.dirname, 'vite.embed.config.ts');

export default defineConfig(({ mode }) => {
  const worker = mode === 'worker';
  return {
    // Asset URLs relative to the chunk that uses them (import.meta.url): the tag may be served
    // from any folder of the shop, e.g. /hafrec/embed-chunks/*.wasm.
    base: './',
    publicDir: false,
    // CLIP's lazy chunk (new items of a CLIP bundle): ONNX Runtime's build that takes its wasm
    // from the URLs src/embedding/ort-assets.ts registers (files beside the chunks); its default
    // build refers to the 27 MB wasm itself, which a library build would inline as base64.
    resolve: worker ? { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] } : {},
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      minify: true,
      copyPublicDir: false,
      // Files, never data: URLs: the `haf` kind's tfjs wasm binaries are fetched from the
      // shop's own origin next to the chunks, and only by a worker that runs HAF.
      assetsInlineLimit: 0,
      lib: {
        entry: resolve(import.meta.dirname, worker ? 'src/engine/hafrec-worker.ts' : 'src/storefront/embed.ts'),
        formats: [worker ? 'es' : 'iife'],
        name: 'hafrecEmbed',
        fileName: () => (worker ? 'embed-worker.js' : 'embed.js'),
      },
      rollupOptions: {
        output: { chunkFileNames: 'embed-chunks/[name]-[hash].js', assetFileNames: 'embed-chunks/[name]-[hash][extname]' },
      },
    },
  };
});

/** Builds embed.js and embed-worker.js into the app's outDir once the app bundle is written. */
export function hafrecEmbedPlugin(): Plugin {
  let outDir = 'dist';
  let done = false;
  return {
    name: 'hafrec-embed',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      if (done) return;
      done = true;
      for (const mode of ['production', 'worker']) {
        await build({ configFile: EMBED_CONFIG, mode, logLevel: 'warn', build: { outDir } });
      }
    },
  };
}

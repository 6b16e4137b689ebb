import { build, defineConfig, type Plugin } from 'vite';
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
    publicDir: false,
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: true,
      minify: true,
      copyPublicDir: false,
      lib: {
        entry: resolve(import.meta.dirname, worker ? 'src/worker/hafrec-worker.ts' : 'src/embed/embed.ts'),
        formats: [worker ? 'es' : 'iife'],
        name: 'hafrecEmbed',
        fileName: () => (worker ? 'embed-worker.js' : 'embed.js'),
      },
      rollupOptions: {
        output: { chunkFileNames: 'embed-chunks/[name]-[hash].js' },
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

import { defineConfig } from 'vite';
import { resolve } from 'node:path';

/**
 * The storefront tag, built after the app into the same dist/:
 * - `vite build -c vite.embed.config.ts` -> dist/embed.js, a classic script (IIFE) a store pastes with `async`;
 * - `vite build -c vite.embed.config.ts --mode worker` -> dist/embed-worker.js (ES module worker) and
 *   the chunks it lazy-loads. The tag finds the worker next to itself.
 */
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

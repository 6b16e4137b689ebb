import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { demoServiceWorker } from './scripts/vite/sw-build.ts';
import { hafrecEmbedPlugin } from './vite.embed.config.ts';

// The demo app is the main build. Extra HTML entries (storefront fixture, e2e pages) are
// added to `input` by the features that own them.
export default defineConfig({
  base: './',
  plugins: [demoServiceWorker(), hafrecEmbedPlugin()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        probe: resolve(import.meta.dirname, 'e2e/pages/probe.html'),
        embedding: resolve(import.meta.dirname, 'e2e/pages/embedding.html'),
        'model-parity': resolve(import.meta.dirname, 'e2e/pages/model-parity.html'),
        'model-bench': resolve(import.meta.dirname, 'e2e/pages/model-bench.html'),
        'device-loss': resolve(import.meta.dirname, 'e2e/pages/device-loss.html'),
        'gpu-forward': resolve(import.meta.dirname, 'e2e/pages/gpu-forward.html'),
        'wasm-threads': resolve(import.meta.dirname, 'e2e/pages/wasm-threads.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});

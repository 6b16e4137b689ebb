import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Benchmark, Measurement } from './types.ts';

/** The storefront tag must stay small: it loads on every page of a shop. */
export const EMBED_GZIP_BUDGET_BYTES = 15 * 1024;

/** Code the tag must never contain: the model and CLIP stacks belong in the worker. */
export const FORBIDDEN_IN_TAG = [/@tensorflow|tfjs-core/, /onnxruntime|@huggingface\/transformers/];

export interface EmbedSize {
  readonly tagBytes: number;
  readonly tagGzipBytes: number;
  /** embed-worker.js and the chunks it imports statically: what every shop's worker loads. */
  readonly workerGzipBytes: number;
  /** Chunks only dynamic imports reach (the `haf` kind: tfjs, HAF), without the wasm binaries. */
  readonly lazyGzipBytes: number;
  /** Every tfjs wasm binary (a browser fetches one of them). */
  readonly wasmGzipBytes: number;
  /** CLIP's lazy chunks (new items of a CLIP bundle: cache lookup, transformers.js, ONNX Runtime's loader). */
  readonly clipGzipBytes: number;
  /** ONNX Runtime's wasm, fetched only when CLIP runs. */
  readonly clipWasmGzipBytes: number;
  readonly forbidden: readonly string[];
}

/** Files a module imports statically (`import ... from "./x.js"`), resolved to names in embed-chunks/. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/\bfrom\s*"\.\/(?:embed-chunks\/)?([\w.-]+\.js)"/g)].map((m) => m[1]!);
}

async function staticClosure(outDir: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = staticImports(await readFile(join(outDir, 'embed-worker.js'), 'utf8'));
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...staticImports(await readFile(join(outDir, 'embed-chunks', name), 'utf8')));
  }
  return seen;
}

/** CLIP's chunks in embed-chunks/ (src/engine/clip-missing.ts, clip-load.ts and what they import). */
const CLIP_CHUNK = /^(clip-missing|clip-load|clip-embedder|ort-wasm-simd-threaded)[.-]/;

const gz = async (file: string): Promise<number> => gzipSync(await readFile(file), { level: 9 }).length;

/** Builds the tag and its worker into a temporary folder with vite.embed.config.ts and measures them. */
export async function measureEmbed(): Promise<EmbedSize> {
  const outDir = await mkdtemp(join(tmpdir(), 'hafrec-embed-'));
  try {
    for (const mode of ['production', 'worker']) {
      await build({
        configFile: resolve(import.meta.dirname, '../../vite.embed.config.ts'),
        mode,
        logLevel: 'warn',
        build: { outDir, emptyOutDir: false, sourcemap: false },
      });
    }
    const tag = await readFile(join(outDir, 'embed.js'));
    const chunks = await readdir(join(outDir, 'embed-chunks')).catch(() => [] as string[]);
    const always = await staticClosure(outDir);
    let [workerGzipBytes, lazyGzipBytes, wasmGzipBytes, clipGzipBytes, clipWasmGzipBytes] = [await gz(join(outDir, 'embed-worker.js')), 0, 0, 0, 0];
    for (const chunk of chunks) {
      const bytes = await gz(join(outDir, 'embed-chunks', chunk));
      if (CLIP_CHUNK.test(chunk) && chunk.endsWith('.wasm')) clipWasmGzipBytes += bytes;
      else if (CLIP_CHUNK.test(chunk)) clipGzipBytes += bytes;
      else if (chunk.endsWith('.wasm')) wasmGzipBytes += bytes;
      else if (always.has(chunk)) workerGzipBytes += bytes;
      else lazyGzipBytes += bytes;
    }
    const text = tag.toString('utf8');
    return {
      tagBytes: tag.length,
      tagGzipBytes: gzipSync(tag, { level: 9 }).length,
      workerGzipBytes,
      lazyGzipBytes,
      wasmGzipBytes,
      clipGzipBytes,
      clipWasmGzipBytes,
      forbidden: FORBIDDEN_IN_TAG.filter((re) => re.test(text)).map(String),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export const embedSizeBench: Benchmark = {
  name: 'embed-size',
  description: `Size of the storefront tag dist/embed.js (budget ${EMBED_GZIP_BUDGET_BYTES / 1024} KB gzipped) and of its lazy worker`,
  async run(ctx): Promise<Measurement[]> {
    const size = await measureEmbed();
    const kb = (bytes: number) => bytes / 1024;
    const over = size.tagGzipBytes > EMBED_GZIP_BUDGET_BYTES;
    ctx.log(`embed.js ${kb(size.tagGzipBytes).toFixed(2)} KB gzipped: ${over ? 'OVER' : 'within'} the ${kb(EMBED_GZIP_BUDGET_BYTES)} KB budget`);
    if (size.forbidden.length > 0) ctx.log(`embed.js contains forbidden code: ${size.forbidden.join(', ')}`);
    return [
      { name: 'embed.js, gzip -9', backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.tagGzipBytes)], note: `budget ${kb(EMBED_GZIP_BUDGET_BYTES)} KB` },
      { name: 'embed.js, minified', backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.tagBytes)] },
      { name: 'embed-worker.js + the chunks it imports, gzip -9', backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.workerGzipBytes)], note: 'loaded only when recommendations are shown' },
      { name: "haf kind's lazy chunks (tfjs, HAF), gzip -9", backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.lazyGzipBytes)], note: 'only for a haf bundle that serves HAF; the webgpu chunk only where navigator.gpu exists' },
      { name: 'tfjs wasm binaries, all three, gzip -9', backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.wasmGzipBytes)], note: 'a browser fetches one' },
      { name: "CLIP's lazy chunks (cache lookup, transformers.js, ORT loader), gzip -9", backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.clipGzipBytes)], note: 'only for new items of a CLIP bundle; transformers.js only on an embedding-cache miss' },
      { name: 'ONNX Runtime wasm (CLIP), gzip -9', backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.clipWasmGzipBytes)], note: 'only when CLIP runs' },
    ];
  },
};

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
  readonly workerGzipBytes: number;
  readonly forbidden: readonly string[];
}

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
    const workerFiles = [join(outDir, 'embed-worker.js')];
    const chunks = await readdir(join(outDir, 'embed-chunks')).catch(() => [] as string[]);
    workerFiles.push(...chunks.map((c) => join(outDir, 'embed-chunks', c)));
    let workerGzipBytes = 0;
    for (const file of workerFiles) workerGzipBytes += gzipSync(await readFile(file), { level: 9 }).length;
    const text = tag.toString('utf8');
    return {
      tagBytes: tag.length,
      tagGzipBytes: gzipSync(tag, { level: 9 }).length,
      workerGzipBytes,
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
      { name: 'embed-worker.js + lazy chunks, gzip -9', backend: 'vite build (vite.embed.config.ts)', unit: 'KB', samples: [kb(size.workerGzipBytes)], note: 'loaded only when recommendations are shown' },
    ];
  },
};

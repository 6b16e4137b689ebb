/**
 * Precomputes a catalog's item features into one feature file the browser loads instead of
 * recomputing:
 *
 *   npm run embed -- --catalog public/data/food-kitchen --model lexical --out public/data/food-kitchen/features.lexical.bin
 *   npm run embed -- --catalog shop.json --model public/models/tiny-clip --out shop.features.bin
 *   npm run embed -- --catalog shop.json --model Xenova/clip-vit-base-patch32 --remote-host https://models.example/ --out f.bin
 *
 * --catalog   a dataset folder (dataset.json + items.tsv[.gz], docs/data-format.md) or a storefront JSON catalog
 * --model     "lexical" (zero-download hashed n-grams), a CLIP model folder, or a hub id
 * --out       output file
 * Options: --dim N (lexical, default 256) --quantization fp16|int8|fp32 (default fp16)
 *          --modalities text,image (CLIP, default both) --batch-size N --revision R --remote-host URL
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Catalog, Item } from '../src/catalog/types.ts';
import type { FeatureTable, Modality } from '../src/catalog/features.ts';
import { parseCatalogJson } from '../src/catalog/catalog-json.ts';
import { loadDatasetCatalog } from '../src/catalog/dataset-load.ts';
import { createLexicalEncoder } from '../src/embedding/lexical-encoder.ts';
import { loadClipEmbedder } from '../src/embedding/clip-embedder.ts';
import { embedCatalogFeatures } from '../src/embedding/catalog-embedder.ts';
import { resolveModelSource } from '../src/embedding/model-source.ts';
import { encodeFeatureFile } from '../src/embedding/feature-file.ts';
import { QUANTIZATIONS, type Quantization } from '../src/embedding/quantize.ts';
import type { EmbeddingProgress } from '../src/embedding/progress.ts';

const USAGE = 'usage: npm run embed -- --catalog <dataset dir | catalog.json> --model <lexical | model folder | hub id> --out <file> [--dim N] [--quantization fp16|int8|fp32] [--modalities text,image] [--batch-size N] [--revision R] [--remote-host URL]';

class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function readCatalog(path: string): Promise<Catalog> {
  if (!existsSync(path)) throw new UsageError(`--catalog ${path}: no such file or folder`);
  if (statSync(path).isDirectory()) return loadDatasetCatalog(path);
  const name = path.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--catalog ${path}: not JSON (${(error as Error).message}); give a dataset folder or a JSON catalog`);
  }
  return parseCatalogJson(json, name, path);
}

function logProgress(event: EmbeddingProgress): void {
  if (event.status === 'batch' && (event.done === event.total || event.done % 256 < 16)) {
    process.stderr.write(`  ${event.modality}: ${event.done}/${event.total}\n`);
  } else if (event.status === 'ready') {
    process.stderr.write(`  model ${event.model} ready on ${event.device} in ${event.ms.toFixed(0)} ms\n`);
  }
}

async function clipTables(
  catalog: Catalog,
  catalogPath: string,
  values: Partial<Record<'model' | 'modalities' | 'revision' | 'remote-host' | 'batch-size', string>>,
): Promise<FeatureTable[]> {
  const local = existsSync(values.model!);
  const model = local ? resolve(values.model!) : values.model!;
  const modalities = (values.modalities ?? 'text,image').split(',').map((m) => m.trim()) as Modality[];
  const common = {
    model,
    ...(values.revision ? { revision: values.revision } : {}),
    ...(values['remote-host'] ? { remoteHost: values['remote-host'] } : {}),
  };
  const base = statSync(catalogPath).isDirectory() ? catalogPath : dirname(catalogPath);
  const imageOf = (item: Item): string | undefined => {
    if (!item.image?.trim()) return undefined;
    return /^[a-z][a-z0-9+.-]*:/i.test(item.image) ? item.image : resolve(base, item.image);
  };
  const result = await embedCatalogFeatures(catalog, {
    model: resolveModelSource(common, false).id,
    modalities,
    imageOf,
    onProgress: logProgress,
    embedder: () =>
      loadClipEmbedder({
        ...common,
        modalities,
        device: 'auto',
        batchSize: Number(values['batch-size'] ?? 16),
        onProgress: logProgress,
      }),
  });
  return [...result.tables];
}

/** Runs the CLI on `args` (argv without node and script); returns the summary line. */
export async function runEmbed(args: readonly string[]): Promise<string> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      catalog: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      dim: { type: 'string' },
      quantization: { type: 'string' },
      modalities: { type: 'string' },
      'batch-size': { type: 'string' },
      revision: { type: 'string' },
      'remote-host': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return USAGE;
  if (!values.catalog || !values.model || !values.out) throw new UsageError(USAGE);
  const quantization = (values.quantization ?? 'fp16') as Quantization;
  if (!QUANTIZATIONS.includes(quantization)) throw new UsageError(`--quantization ${quantization}: use ${QUANTIZATIONS.join(', ')}`);
  const started = performance.now();
  const catalog = await readCatalog(values.catalog);
  process.stderr.write(`catalog "${catalog.name}": ${catalog.size} items, domains ${catalog.domains.join(', ')}\n`);
  const tables =
    values.model === 'lexical'
      ? [createLexicalEncoder(values.dim ? { dim: Number(values.dim) } : {}).encodeCatalog(catalog)]
      : await clipTables(catalog, values.catalog, values);
  const buffer = await encodeFeatureFile(catalog, tables, quantization);
  await mkdir(dirname(resolve(values.out)), { recursive: true });
  await writeFile(values.out, new Uint8Array(buffer));
  for (const t of tables) {
    const present = t.present.reduce((n, p) => n + p, 0);
    process.stderr.write(`  ${t.modality}: ${t.encoder}, dim ${t.dim}, ${present}/${catalog.size} items present\n`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `wrote ${values.out}: ${buffer.byteLength} bytes (${quantization}) in ${seconds} s`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  runEmbed(process.argv.slice(2)).then(
    (line) => process.stdout.write(`${line}\n`),
    (error: unknown) => {
      const e = error as Error;
      process.stderr.write(`${e.name ?? 'Error'}: ${e.message}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}

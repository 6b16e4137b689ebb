import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Dataset } from './types.ts';
import { DATASET_FILES, parseFoodKitchen, type DatasetFile } from './food-kitchen-parse.ts';
import { parseChecksums, verifyChecksum } from './checksums.ts';
import { decodeUtf8 } from './tsv.ts';

/** Where the repository keeps the benchmark (gzipped TSV + SHA256SUMS of the plain TSV). */
export const FOOD_KITCHEN_DIR = 'public/data/food-kitchen';

/**
 * Node loader: reads `<name>.tsv.gz` (or plain `<name>.tsv`), verifies each file's pinned
 * SHA-256, decodes strict UTF-8 and validates every row.
 */
export async function loadFoodKitchen(dir: string = FOOD_KITCHEN_DIR): Promise<Dataset> {
  const sums = parseChecksums(await readFile(join(dir, 'SHA256SUMS'), 'utf8'));
  const texts = {} as Record<DatasetFile, string>;
  await Promise.all(
    DATASET_FILES.map(async (name) => {
      const file = `${name}.tsv`;
      const bytes = await readMaybeGzipped(join(dir, file));
      verifyChecksum(sums, file, createHash('sha256').update(bytes).digest('hex'));
      texts[name] = decodeUtf8(file, bytes);
    }),
  );
  return parseFoodKitchen(texts);
}

async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  try {
    return gunzipSync(await readFile(`${path}.gz`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return new Uint8Array(await readFile(path));
  }
}

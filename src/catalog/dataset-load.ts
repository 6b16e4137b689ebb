import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Catalog, Dataset, TrainingData } from './types.ts';
import { readDataset, readDatasetCatalog, readTrainingData, type DatasetSource } from './dataset-read.ts';
import { DataFormatError } from './errors.ts';

/** Where the repository keeps the Food-Kitchen benchmark (a dataset folder: dataset.json, gzipped TSV, SHA256SUMS). */
export const FOOD_KITCHEN_DIR = 'public/data/food-kitchen';

/**
 * Node loader of a dataset folder (see docs/data-format.md): reads `dataset.json` and the
 * files it names (`.tsv.gz` gunzipped), verifies SHA256SUMS when present, decodes strict
 * UTF-8 and validates every row.
 */
export async function loadDataset(dir: string = FOOD_KITCHEN_DIR): Promise<Dataset> {
  return readDataset(folderSource(dir));
}

/** A dataset folder without its test split: `npm run train` reads this, so test files are never opened. */
export async function loadTrainingData(dir: string = FOOD_KITCHEN_DIR): Promise<TrainingData> {
  return readTrainingData(folderSource(dir));
}

/** Only the catalog of a dataset folder (manifest + items), for tools that need no sequences. */
export async function loadDatasetCatalog(dir: string): Promise<Catalog> {
  return readDatasetCatalog(folderSource(dir));
}

export function folderSource(dir: string): DatasetSource {
  return {
    location: dir.replace(/\/+$/, ''),
    read: async (file) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(join(dir, file)));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw new DataFormatError(join(dir, file), 0, `cannot be read (${code ?? (error as Error).message})`);
      }
      if (!file.endsWith('.gz')) return bytes;
      try {
        return gunzipSync(bytes);
      } catch {
        throw new DataFormatError(file, 0, 'is named .gz but is not valid gzip data');
      }
    },
    sha256Hex: async (bytes) => createHash('sha256').update(bytes).digest('hex'),
  };
}

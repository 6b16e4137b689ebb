import type { Catalog, Dataset, TrainingData } from './types.ts';
import { parseChecksums, verifyChecksum } from './checksums.ts';
import { DATASET_FILES, MANIFEST_FILE, TRAINING_FILES, checksumName, parseDatasetManifest, type DatasetFile, type DatasetManifest, type TrainingFile } from './dataset-manifest.ts';
import { parseDataset, parseDatasetItems, parseTrainingData } from './dataset-parse.ts';
import { DataFormatError, MissingFileError } from './errors.ts';
import { decodeUtf8 } from './tsv.ts';

/** Where a dataset's files come from: a Node folder, or a URL in a browser or worker. */
export interface DatasetSource {
  /** Names the folder or URL in messages. */
  readonly location: string;
  /** The stored bytes of a file (gunzipped when the name ends in .gz), or undefined when it does not exist. */
  read(file: string): Promise<Uint8Array | undefined>;
  sha256Hex(bytes: Uint8Array): Promise<string>;
}

/** Reads the manifest of a dataset folder; a missing one is a MissingFileError saying what a folder needs. */
export async function readManifest(source: DatasetSource): Promise<DatasetManifest> {
  const bytes = await source.read(MANIFEST_FILE);
  if (!bytes) {
    throw new MissingFileError(
      `${source.location}/${MANIFEST_FILE}`,
      `a dataset folder needs ${MANIFEST_FILE} (format "hafrec-dataset": name, domains, files); make one with npm run prepare -- --catalog catalog.json --events events.jsonl --out DIR`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(decodeUtf8(MANIFEST_FILE, bytes));
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    throw new DataFormatError(MANIFEST_FILE, 1, `not valid JSON (${(error as Error).message})`);
  }
  return parseDatasetManifest(json);
}

/**
 * Reads, verifies and parses a dataset: the manifest, then every file it names. When the
 * folder has SHA256SUMS each file's uncompressed bytes must match it; without one, files load unverified.
 */
export async function readDataset(source: DatasetSource): Promise<Dataset> {
  const manifest = await readManifest(source);
  const sums = await readChecksums(source);
  const texts = {} as Record<DatasetFile, string>;
  await Promise.all(DATASET_FILES.map(async (role) => (texts[role] = await readText(source, manifest, role, sums))));
  return parseDataset(manifest, texts);
}

/** Everything but the test split (verified the same way): the test files are never opened. */
export async function readTrainingData(source: DatasetSource): Promise<TrainingData> {
  const manifest = await readManifest(source);
  const sums = await readChecksums(source);
  const texts = {} as Record<TrainingFile, string>;
  await Promise.all(TRAINING_FILES.map(async (role) => (texts[role] = await readText(source, manifest, role, sums))));
  return parseTrainingData(manifest, texts);
}

/** Only the catalog (manifest + items file, verified the same way): for tools that need no sequences. */
export async function readDatasetCatalog(source: DatasetSource): Promise<Catalog> {
  const manifest = await readManifest(source);
  return parseDatasetItems(manifest, await readText(source, manifest, 'items', await readChecksums(source)));
}

async function readChecksums(source: DatasetSource): Promise<Map<string, string> | undefined> {
  const bytes = await source.read('SHA256SUMS');
  return bytes ? parseChecksums(decodeUtf8('SHA256SUMS', bytes)) : undefined;
}

async function readText(source: DatasetSource, manifest: DatasetManifest, role: DatasetFile, sums: Map<string, string> | undefined): Promise<string> {
  const stored = manifest.files[role];
  const bytes = await source.read(stored);
  if (!bytes) throw new MissingFileError(`${source.location}/${stored}`, `${MANIFEST_FILE} names it as the "${role}" file`);
  const plain = checksumName(stored);
  if (sums) verifyChecksum(sums, plain, await source.sha256Hex(bytes));
  return decodeUtf8(plain, bytes);
}

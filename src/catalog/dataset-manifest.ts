import { DataFormatError } from './errors.ts';

/** The manifest of a dataset folder: it names the dataset, its domains and its files. */
export const MANIFEST_FILE = 'dataset.json';
export const DATASET_FORMAT = 'hafrec-dataset';
export const DATASET_VERSION = 1;
/** Negatives per evaluation case when a domain is large enough (one fewer than the candidates). */
export const DEFAULT_NEGATIVES = 999;

/** The files of a dataset, by role; each names a TSV file (optionally gzipped: `.tsv.gz`). */
export const DATASET_FILES = ['items', 'train', 'valid', 'test', 'valid_negatives', 'test_negatives'] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];
export type DatasetTexts = Readonly<Record<DatasetFile, string>>;
/** The files training reads: everything but the test split. */
export const TRAINING_FILES = ['items', 'train', 'valid', 'valid_negatives'] as const satisfies readonly DatasetFile[];
export type TrainingFile = (typeof TRAINING_FILES)[number];

/** `overall` is the report's all-domain row, so no domain may be called that. */
const RESERVED_DOMAINS = ['overall'];
const KNOWN_KEYS = ['format', 'version', 'name', 'domains', 'negatives', 'files', 'description', 'prepared'];

export interface DatasetManifest {
  readonly format: typeof DATASET_FORMAT;
  readonly version: typeof DATASET_VERSION;
  readonly name: string;
  /** Domain names in order: domain number d is domains[d]. */
  readonly domains: readonly string[];
  /** Negatives per evaluation case; a domain of n items gets min(negatives, n - 1). */
  readonly negatives: number;
  /** Stored file name of each role, relative to the folder. */
  readonly files: Readonly<Record<DatasetFile, string>>;
  readonly description?: string;
  /** What `npm run prepare` kept and dropped (free-form, for people). */
  readonly prepared?: Readonly<Record<string, unknown>>;
}

/** The name SHA256SUMS pins for a stored file: checksums cover the uncompressed bytes. */
export function checksumName(stored: string): string {
  return stored.endsWith('.gz') ? stored.slice(0, -3) : stored;
}

/** Negatives each case of a domain with `domainSize` items carries. */
export function negativesFor(manifest: Pick<DatasetManifest, 'negatives'>, domainSize: number): number {
  return Math.min(manifest.negatives, domainSize - 1);
}

/** Validates `dataset.json`; every problem names the key and what is valid. */
export function parseDatasetManifest(json: unknown, source = MANIFEST_FILE): DatasetManifest {
  const fail = (problem: string): never => {
    throw new DataFormatError(source, 1, problem);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('must be a JSON object');
  const raw = json as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.includes(k));
  if (unknown.length > 0) fail(`unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}; valid keys are ${KNOWN_KEYS.join(', ')}`);
  if (raw.format !== DATASET_FORMAT) fail(`"format" must be "${DATASET_FORMAT}", found ${JSON.stringify(raw.format)}`);
  if (raw.version !== DATASET_VERSION) fail(`"version" must be ${DATASET_VERSION} (the only version this code reads), found ${JSON.stringify(raw.version)}`);
  if (typeof raw.name !== 'string' || raw.name.trim() === '') fail('"name" must be a non-empty string');
  const negatives = raw.negatives ?? DEFAULT_NEGATIVES;
  if (typeof negatives !== 'number' || !Number.isInteger(negatives) || negatives < 1) fail(`"negatives" must be an integer >= 1 (default ${DEFAULT_NEGATIVES}), found ${JSON.stringify(raw.negatives)}`);
  if (raw.description !== undefined && typeof raw.description !== 'string') fail('"description" must be a string when present');
  if (raw.prepared !== undefined && (typeof raw.prepared !== 'object' || raw.prepared === null)) fail('"prepared" must be an object when present');
  return {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    name: raw.name as string,
    domains: parseDomains(raw.domains, fail),
    negatives: negatives as number,
    files: parseFiles(raw.files, fail),
    ...(raw.description === undefined ? {} : { description: raw.description as string }),
    ...(raw.prepared === undefined ? {} : { prepared: raw.prepared as Record<string, unknown> }),
  };
}

function parseDomains(value: unknown, fail: (problem: string) => never): string[] {
  if (!Array.isArray(value) || value.length === 0) fail('"domains" must be a non-empty array of domain names, in order');
  const domains = value as unknown[];
  const seen = new Set<string>();
  for (const d of domains) {
    if (typeof d !== 'string' || d.trim() !== d || d === '' || /[\t\n\r]/.test(d)) {
      fail(`"domains": ${JSON.stringify(d)} is not a valid name (non-empty, no tabs, newlines or surrounding spaces)`);
    }
    if (RESERVED_DOMAINS.includes(d as string)) fail(`"domains": "${String(d)}" is reserved for the all-domain report row; rename the domain`);
    if (seen.has(d as string)) fail(`"domains": "${String(d)}" is listed twice`);
    seen.add(d as string);
  }
  return domains as string[];
}

function parseFiles(value: unknown, fail: (problem: string) => never): Record<DatasetFile, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`"files" must be an object naming the file of each of ${DATASET_FILES.join(', ')}`);
  }
  const raw = value as Record<string, unknown>;
  const extra = Object.keys(raw).filter((k) => !(DATASET_FILES as readonly string[]).includes(k));
  if (extra.length > 0) fail(`"files": unknown role(s) ${extra.join(', ')}; valid roles are ${DATASET_FILES.join(', ')}`);
  const files = {} as Record<DatasetFile, string>;
  for (const role of DATASET_FILES) {
    const name = raw[role];
    if (typeof name !== 'string' || !/^[\w.-]+\.tsv(\.gz)?$/.test(name)) {
      fail(`"files.${role}" must be a file name in the folder ending in .tsv or .tsv.gz, found ${JSON.stringify(name)}`);
    }
    files[role] = name as string;
  }
  return files;
}

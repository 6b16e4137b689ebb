/**
 * CLIP text and image embeddings through transformers.js (ONNX Runtime: native CPU in Node,
 * WebGPU or wasm in a browser). `loadClipEmbedder` returns a ready object: model files are
 * fetched and sessions created before it resolves.
 */
import {
  AutoConfig,
  AutoProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
  env,
} from '@huggingface/transformers';
import type { Modality } from '../catalog/features.ts';
import { EmbeddingError, EmbeddingInputError, EmbeddingOptionError, ModelFileError } from './errors.ts';
import { isNodeRuntime, resolveDevice, type Device } from './devices.ts';
import { resolveModelSource, type ModelSource, type ModelSourceOptions } from './model-source.ts';
import { fromHfProgress, type ProgressCallback, type ResolvedDevice } from './progress.ts';
import { normalizeRows } from './vector-math.ts';

export const CLIP_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type ClipDtype = (typeof CLIP_DTYPES)[number];
/** Where ONNX Runtime's `.wasm` and `.mjs` runtime files are served (the app's own origin). */
export type OrtWasmPaths = { readonly mjs: string; readonly wasm: string };
export type ImageInput = string | URL | Blob;

export interface ClipEmbedderOptions extends ModelSourceOptions {
  readonly device?: Device;
  /** Weights variant; 'fp32' (default) loads onnx/{text,vision}_model.onnx. */
  readonly dtype?: ClipDtype;
  readonly batchSize?: number;
  /** Which towers to load (default both). */
  readonly modalities?: readonly Modality[];
  /** Browser only; defaults to what `setDefaultOrtWasmPaths` set (see ort-assets.ts). Never a CDN. */
  readonly wasmPaths?: OrtWasmPaths;
  readonly onProgress?: ProgressCallback;
}

export interface ClipEmbedder {
  /** Model id + revision, e.g. "Xenova/clip-vit-base-patch32@main"; cache key and FeatureTable encoder. */
  readonly id: string;
  readonly dim: number;
  readonly device: ResolvedDevice;
  readonly modalities: readonly Modality[];
  /** Model invocations so far (one per batch), per tower. */
  readonly runs: { readonly text: number; readonly image: number };
  /** One L2-normalized vector per text; an empty text is an error (it has no meaning to embed). */
  embedTexts(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array[]>;
  /** One L2-normalized vector per image (URL, data: URL, path in Node, or Blob). */
  embedImages(images: readonly ImageInput[], onProgress?: ProgressCallback): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/**
 * Whether transformers.js keeps CLIP's model files (`models`) and ONNX Runtime's wasm (`wasm`)
 * in the browser's Cache Storage (its default: both). The storefront worker turns them off
 * without the shopper's consent, and always for the wasm, a content-hashed file the HTTP cache keeps.
 */
export function setBrowserCaches(caches: { readonly models: boolean; readonly wasm: boolean }): void {
  env.useBrowserCache = caches.models;
  env.useWasmCache = caches.wasm;
}

let defaultWasmPaths: OrtWasmPaths | undefined;
/** Registers the app-served ONNX Runtime files used when `wasmPaths` is not passed. */
export function setDefaultOrtWasmPaths(paths: OrtWasmPaths): void {
  defaultWasmPaths = paths;
}

type EnvPatch = ModelSource['env'];
let envLock: Promise<unknown> = Promise.resolve();
/** transformers.js reads one global `env` while fetching: loads run one at a time with their own patch. */
function withEnv<T>(patch: EnvPatch, fn: () => Promise<T>): Promise<T> {
  const run = envLock.then(async () => {
    const saved: EnvPatch = {
      allowLocalModels: env.allowLocalModels,
      allowRemoteModels: env.allowRemoteModels,
      localModelPath: env.localModelPath,
      remoteHost: env.remoteHost,
      remotePathTemplate: env.remotePathTemplate,
    };
    Object.assign(env, patch);
    try {
      return await fn();
    } finally {
      Object.assign(env, saved);
    }
  });
  envLock = run.catch(() => undefined);
  return run;
}

/** Wraps a loading stage so a failure names the model, the file and what a CLIP folder needs. */
async function stage<T>(model: string, file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(model, file, (error as Error).message ?? String(error));
  }
}

function configureWasm(options: ClipEmbedderOptions, node: boolean): void {
  if (node) return;
  const paths = options.wasmPaths ?? defaultWasmPaths;
  if (!paths) {
    throw new EmbeddingOptionError(
      'wasmPaths',
      undefined,
      "{ mjs, wasm } URLs of ONNX Runtime files on the app's origin (import src/embedding/ort-assets.ts, or pass them); " +
        'refusing the CDN default',
    );
  }
  const wasm = env.backends.onnx.wasm;
  if (wasm) wasm.wasmPaths = { mjs: paths.mjs, wasm: paths.wasm };
}

interface Towers {
  tokenizer?: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  processor?: Awaited<ReturnType<typeof AutoProcessor.from_pretrained>>;
  text?: Awaited<ReturnType<typeof CLIPTextModelWithProjection.from_pretrained>>;
  vision?: Awaited<ReturnType<typeof CLIPVisionModelWithProjection.from_pretrained>>;
  dim: number;
}

async function loadTowers(
  source: ModelSource,
  device: ResolvedDevice,
  dtype: ClipDtype,
  modalities: readonly Modality[],
  onProgress: ProgressCallback | undefined,
): Promise<Towers> {
  // from_pretrained mutates its options: every call gets a fresh object.
  const base = () => ({
    revision: source.revision,
    progress_callback: (e: { status: string; file?: string }) => {
      const mapped = fromHfProgress(e);
      if (mapped) onProgress?.(mapped);
    },
  });
  const model = source.id;
  onProgress?.({ status: 'load', part: 'config' });
  const config = await stage(model, 'config.json', () => AutoConfig.from_pretrained(source.name, base()));
  const modelType = (config as { model_type?: string }).model_type;
  if (modelType !== 'clip') throw new ModelFileError(model, 'config.json', `model_type is "${String(modelType)}", not "clip"`);
  const dim = Number((config as { projection_dim?: number }).projection_dim);
  const towers: Towers = { dim };
  const session = () => ({ ...base(), config, device, dtype });
  if (modalities.includes('text')) {
    onProgress?.({ status: 'load', part: 'tokenizer' });
    towers.tokenizer = await stage(model, 'tokenizer.json / tokenizer_config.json', () =>
      AutoTokenizer.from_pretrained(source.name, base()),
    );
    onProgress?.({ status: 'load', part: 'text-model' });
    towers.text = await stage(model, `onnx/text_model${dtype === 'fp32' ? '' : `_${dtype}`}.onnx`, () =>
      CLIPTextModelWithProjection.from_pretrained(source.name, session()),
    );
  }
  if (modalities.includes('image')) {
    onProgress?.({ status: 'load', part: 'processor' });
    towers.processor = await stage(model, 'preprocessor_config.json', () => AutoProcessor.from_pretrained(source.name, base()));
    onProgress?.({ status: 'load', part: 'vision-model' });
    towers.vision = await stage(model, `onnx/vision_model${dtype === 'fp32' ? '' : `_${dtype}`}.onnx`, () =>
      CLIPVisionModelWithProjection.from_pretrained(source.name, session()),
    );
  }
  return towers;
}

function checkOptions(options: ClipEmbedderOptions): { dtype: ClipDtype; batchSize: number; modalities: readonly Modality[] } {
  const dtype = options.dtype ?? 'fp32';
  if (!CLIP_DTYPES.includes(dtype)) throw new EmbeddingOptionError('dtype', dtype, CLIP_DTYPES.join(', '));
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EmbeddingOptionError('batchSize', batchSize, 'a positive integer');
  const modalities = options.modalities ?? (['text', 'image'] as const);
  if (modalities.length === 0 || modalities.some((m) => m !== 'text' && m !== 'image')) {
    throw new EmbeddingOptionError('modalities', modalities, 'a non-empty list of "text", "image"');
  }
  return { dtype, batchSize, modalities };
}

export async function loadClipEmbedder(options: ClipEmbedderOptions): Promise<ClipEmbedder> {
  const started = performance.now();
  const { dtype, batchSize, modalities } = checkOptions(options);
  const node = isNodeRuntime();
  const source = resolveModelSource(options, !node);
  const device = await resolveDevice(options.device ?? 'auto');
  configureWasm(options, node);
  const towers = await withEnv(source.env, () => loadTowers(source, device, dtype, modalities, options.onProgress));
  options.onProgress?.({ status: 'ready', model: source.id, device, ms: performance.now() - started });
  return createEmbedder(source.id, device, modalities, batchSize, towers);
}

interface OutputTensor {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
  dispose?(): void;
}

/** Copies the [B, dim] `key` output into unit-length rows, then frees every tensor involved. */
function rows(outputs: Record<string, OutputTensor>, key: string, dim: number, inputs: Record<string, OutputTensor>): Float32Array[] {
  try {
    const tensor = outputs[key];
    if (!tensor) throw new EmbeddingError(`the model has no "${key}" output (outputs: ${Object.keys(outputs).join(', ')})`);
    const flat = normalizeRows(Float32Array.from(tensor.data), dim);
    return Array.from({ length: flat.length / dim }, (_, b) => flat.slice(b * dim, (b + 1) * dim));
  } finally {
    for (const t of [...Object.values(outputs), ...Object.values(inputs)]) t.dispose?.();
  }
}

async function readImage(input: ImageInput, index: number): Promise<InstanceType<typeof RawImage>> {
  try {
    const isData = typeof input === 'string' && input.startsWith('data:');
    return await RawImage.read(isData ? await (await fetch(input)).blob() : input);
  } catch (error) {
    throw new EmbeddingInputError(index, `image could not be read (${(error as Error).message})`);
  }
}

/** Runs `run` over consecutive chunks of `batchSize`, counting model runs and reporting each batch. */
async function inBatches<T>(
  modality: Modality,
  inputs: readonly T[],
  batchSize: number,
  runs: Record<Modality, number>,
  run: (chunk: readonly T[], offset: number) => Promise<Float32Array[]>,
  onProgress?: ProgressCallback,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const t0 = performance.now();
    out.push(...(await run(inputs.slice(start, start + batchSize), start)));
    runs[modality] += 1;
    onProgress?.({ status: 'batch', modality, done: out.length, total: inputs.length, ms: performance.now() - t0 });
  }
  return out;
}

function createEmbedder(
  id: string,
  device: ResolvedDevice,
  modalities: readonly Modality[],
  batchSize: number,
  towers: Towers,
): ClipEmbedder {
  const runs = { text: 0, image: 0 };
  const need = (modality: Modality): void => {
    if (!modalities.includes(modality)) {
      throw new EmbeddingOptionError('modalities', modalities, `a list including "${modality}" to embed ${modality}s`);
    }
  };
  const textBatch = async (chunk: readonly string[]): Promise<Float32Array[]> => {
    const inputs = towers.tokenizer!([...chunk], { padding: true, truncation: true }) as Record<string, OutputTensor>;
    const outputs = (await towers.text!(inputs)) as Record<string, OutputTensor>;
    return rows(outputs, 'text_embeds', towers.dim, inputs);
  };
  const imageBatch = async (chunk: readonly ImageInput[], offset: number): Promise<Float32Array[]> => {
    const raw = await Promise.all(chunk.map((img, k) => readImage(img, offset + k)));
    const { pixel_values } = (await towers.processor!(raw)) as { pixel_values: OutputTensor };
    const outputs = (await towers.vision!({ pixel_values })) as Record<string, OutputTensor>;
    return rows(outputs, 'image_embeds', towers.dim, { pixel_values });
  };
  return {
    id,
    dim: towers.dim,
    device,
    modalities,
    runs,
    async embedTexts(texts, onProgress) {
      need('text');
      texts.forEach((t, i) => {
        if (typeof t !== 'string' || t.trim() === '') throw new EmbeddingInputError(i, 'text is empty: there is nothing to embed');
      });
      return inBatches('text', texts, batchSize, runs, textBatch, onProgress);
    },
    async embedImages(images, onProgress) {
      need('image');
      return inBatches('image', images, batchSize, runs, imageBatch, onProgress);
    },
    async dispose() {
      await Promise.all([towers.text?.dispose(), towers.vision?.dispose()]);
    },
  };
}

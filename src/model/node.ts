/**
 * Node-only helpers (scripts and tests; never imported by browser code): the wasm backend
 * with binaries from node_modules, and a file-system IOHandler for tfjs weights.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { WeightsFormatError } from './errors.ts';
import { selectBackend, type BackendChoice, type BackendName } from './backend.ts';
import { installNodeWebGpu, requireNodeWebGpu } from './node-webgpu.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Folder of the tfjs wasm binaries inside node_modules, with a trailing slash. */
export function nodeWasmPaths(): string {
  const require = createRequire(import.meta.url);
  // A bundled script (no node_modules beside it) is told where the binaries are.
  if (process.env.HAFREC_WASM_DIR) return `${process.env.HAFREC_WASM_DIR.replace(/\/$/, '')}/`;
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

/**
 * wasm by default in Node (10-60x faster than cpu here). 'webgpu' needs the optional Dawn
 * package (see node-webgpu.ts); 'auto' takes a real GPU when Dawn finds one, else measures.
 */
export async function selectNodeBackend(request: 'auto' | BackendName = 'wasm'): Promise<BackendChoice> {
  if (request === 'webgpu') await requireNodeWebGpu();
  const gpu = request === 'auto' && (await installNodeWebGpu());
  return selectBackend(request, { wasmPaths: nodeWasmPaths(), candidates: gpu ? ['webgpu', 'wasm', 'cpu'] : ['wasm', 'cpu'] });
}

/** tfjs IOHandler over a folder: model.json (topology, manifest, weights manifest) + weights.bin. */
export function fileHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const data = artifacts.weightData;
      const bytes = data === undefined ? new Uint8Array(0) : new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      await writeFile(join(dir, WEIGHTS_FILE), bytes);
      await writeFile(join(dir, MODEL_FILE), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new WeightsFormatError(`cannot read ${join(dir, MODEL_FILE)}: ${(error as Error).message}`);
      }
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
      const weightData = tf.io.concatenateArrayBuffers(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData,
        userDefinedMetadata: json.userDefinedMetadata,
      };
    },
  };
}

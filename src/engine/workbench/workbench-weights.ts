/**
 * The demo's "Save to this browser" weights as a tfjs IOHandler over src/store's weights
 * database, so that tfjs's own IndexedDB (`indexeddb://`) holds nothing of hafrec's. Weights
 * saved there by earlier releases are moved over once, on the first look.
 */
import * as tf from '@tensorflow/tfjs';
import { WeightsFormatError } from '../../model/errors.ts';
import { hasSavedWeights, readSavedWeights, saveWeights } from '../../store/weights-store.ts';

/** Where earlier releases saved the demo's weights (tfjs's own IndexedDB database). */
export const LEGACY_BROWSER_WEIGHTS = 'indexeddb://hafrec-demo-haf';

function joined(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

async function saveArtifacts(key: string, artifacts: tf.io.ModelArtifacts, dbName: string | undefined): Promise<tf.io.SaveResult> {
  const { weightData, ...meta } = artifacts;
  await saveWeights({ key, meta, data: joined(weightData), savedAt: Date.now() }, dbName);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** Saves to and loads from the store's weights database under `key`. */
export function storedWeightsHandler(key: string, dbName?: string): tf.io.IOHandler {
  return {
    save: (artifacts) => saveArtifacts(key, artifacts, dbName),
    async load(): Promise<tf.io.ModelArtifacts> {
      const saved = await readSavedWeights(key, dbName);
      if (!saved) throw new WeightsFormatError(`no weights are saved in this browser under "${key}": save them first (Train, Save to this browser)`);
      return { ...(saved.meta as tf.io.ModelArtifacts), weightData: saved.data };
    },
  };
}

/** Weights an earlier release saved elsewhere: found, read, removed once moved. */
export interface LegacyWeights {
  exists(): Promise<boolean>;
  load(): Promise<tf.io.ModelArtifacts | undefined>;
  remove(): Promise<void>;
}

/** The demo's weights in tfjs's own IndexedDB, where releases before src/store owned them kept them. */
export const tfjsLegacyWeights: LegacyWeights = {
  exists: async () => LEGACY_BROWSER_WEIGHTS in (await tf.io.listModels().catch(() => ({}))),
  load: async () => tf.io.getLoadHandlers(LEGACY_BROWSER_WEIGHTS)[0]?.load?.(),
  remove: async () => void (await tf.io.removeModel(LEGACY_BROWSER_WEIGHTS)),
};

/**
 * Whether weights are saved under `key`; when none are but `legacy` has some, they are copied
 * into the store first, then removed there (a failed removal only leaves a stale copy).
 */
export async function storedWeightsExist(key: string, dbName?: string, legacy: LegacyWeights = tfjsLegacyWeights): Promise<boolean> {
  if (await hasSavedWeights(key, dbName)) return true;
  if (!(await legacy.exists())) return false;
  const artifacts = await legacy.load();
  if (!artifacts) return false;
  await saveArtifacts(key, artifacts, dbName);
  await legacy.remove().catch(() => undefined);
  return true;
}

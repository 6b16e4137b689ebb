import type { Recommender } from '../../eval/recommender.ts';
import { DEFAULT_COOCCURRENCE } from '../../eval/baselines/cooccurrence.ts';
import { catalogIds } from '../../catalog/catalog.ts';
import { HafrecWorkerError } from '../errors.ts';
import { writeCooccurrenceFile, type CooccurrenceFile, type PopularityFile } from '../model-file.ts';
import type { BaselineKindName } from '../model-kinds.ts';
import { loadModel } from '../model-registry.ts';
import type { WorkbenchData } from './workbench-data.ts';

/**
 * The demo's baselines as manifests of their registered kinds, loaded by the model registry's
 * `loadModel` exactly as a shop's manifest is: one loader serves both products. The manifests
 * are written in memory from the counts the workbench made on the dataset's train split, not
 * shipped: as files they would add megabytes (5.3 MB of JSON for co-occurrence) to the demo's
 * download, and the demo already has the dataset they are counted from.
 */

/** The manifest's address, for its loader's messages; nothing is fetched from it. */
export const datasetManifestUrl = (kind: BaselineKindName): string => `memory:hafrec-workbench/${kind}.json`;

/**
 * A baseline kind's manifest for the dataset's catalog, rows in the catalog's order, written
 * as the bundle writer writes it but with exact weights, so that the demo's co-occurrence
 * ranks stay bit-for-bit the eval CLI's.
 */
export function datasetManifest(data: WorkbenchData, kind: BaselineKindName): CooccurrenceFile | PopularityFile {
  const source = `the ${data.dataset.name} train split, counted in the demo's engine`;
  const { catalog } = data.dataset;
  if (kind === 'cooccurrence') return writeCooccurrenceFile(catalog, data.transitions, data.popularity, DEFAULT_COOCCURRENCE, source, true);
  return { format: 'hafrec-model', version: 1, kind, source, ids: catalogIds(catalog), popularity: Array.from(data.popularity) };
}

/** Baseline manifests name no files; a fetch would be a bug. */
const noFiles: typeof fetch = (input) =>
  Promise.reject(new HafrecWorkerError(`the demo's in-memory model manifest has no files to fetch (asked for ${String(input)})`));

/** The baseline `kind` of the dataset, loaded through the registry from its manifest. */
export async function loadDatasetModel(data: WorkbenchData, kind: BaselineKindName): Promise<Recommender> {
  return loadModel({ manifest: datasetManifest(data, kind), catalog: data.dataset.catalog, url: datasetManifestUrl(kind), fetch: noFiles });
}

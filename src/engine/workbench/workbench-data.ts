import type { Dataset, EvalCase } from '../../catalog/types.ts';
import { fetchDataset } from '../../catalog/dataset-fetch.ts';
import { countOccurrences } from '../../eval/baselines/popularity.ts';
import { countTransitions, DEFAULT_COOCCURRENCE, type TransitionTable } from '../../eval/baselines/cooccurrence.ts';
import type { JobProgress } from './workbench-protocol.ts';

export type Split = 'valid' | 'test';
export type ProgressSink = (progress: JobProgress) => void;

/** Everything the demo computes from the bundled dataset once, in the worker. */
export interface WorkbenchData {
  readonly dataset: Dataset;
  readonly popularity: Float64Array;
  readonly transitions: TransitionTable;
  readonly cases: Readonly<Record<Split, ReadonlyMap<string, EvalCase>>>;
}

export async function loadWorkbenchData(dataUrl: string, onProgress: ProgressSink): Promise<WorkbenchData> {
  onProgress({ stage: 'Downloading and verifying the Food-Kitchen dataset', done: 0, total: 3 });
  const dataset = await fetchDataset(dataUrl);
  onProgress({ stage: 'Counting item popularity', done: 1, total: 3 });
  const popularity = countOccurrences(dataset.catalog, dataset.train);
  onProgress({ stage: 'Counting item transitions', done: 2, total: 3 });
  const transitions = countTransitions(dataset.catalog.size, dataset.train, DEFAULT_COOCCURRENCE);
  onProgress({ stage: 'Dataset ready', done: 3, total: 3 });
  const byUser = (cases: readonly EvalCase[]) => new Map(cases.map((c) => [c.user, c]));
  return { dataset, popularity, transitions, cases: { valid: byUser(dataset.valid), test: byUser(dataset.test) } };
}

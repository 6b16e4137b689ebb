import { countTransitions, DEFAULT_COOCCURRENCE } from '../../eval/baselines/cooccurrence.ts';
import { countOccurrences } from '../../eval/baselines/popularity.ts';
import { tinyCatalog, tinyTrain } from '../../model/test-fixtures.ts';
import type { WorkbenchData } from './workbench-data.ts';

/** The workbench's data for the model tests' tiny catalog and training sequences (no valid or test cases). */
export function tinyWorkbenchData(): WorkbenchData {
  const catalog = tinyCatalog();
  const train = tinyTrain();
  return {
    dataset: { name: 'tiny', catalog, train, valid: [], test: [] },
    popularity: countOccurrences(catalog, train),
    transitions: countTransitions(catalog.size, train, DEFAULT_COOCCURRENCE),
    cases: { valid: new Map(), test: new Map() },
  };
}

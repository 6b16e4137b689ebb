import { HafrecError } from '../errors/hafrec-error.ts';

/** Base of the recommendation worker's errors: says what was wrong and what is valid. */
export class HafrecWorkerError extends HafrecError {
  override readonly name: string = 'HafrecWorkerError';
}

/** A static asset (catalog, model, features) could not be fetched nor found in the offline cache. */
export class AssetFetchError extends HafrecWorkerError {
  override readonly name = 'AssetFetchError';
  constructor(readonly what: string, readonly url: string, readonly detail: string) {
    super(`could not load the ${what} from ${url}: ${detail}; check the data-${what} attribute of the hafrec script tag`);
  }
}

/** A model file is malformed or of a kind this build cannot run. */
export class ModelFormatError extends HafrecWorkerError {
  override readonly name = 'ModelFormatError';
  constructor(readonly url: string, readonly problem: string) {
    super(`model ${url}: ${problem}`);
  }
}

/** A page called recommend() with an argument that is not valid; names it and what is valid. */
export class InvalidRequestError extends HafrecWorkerError {
  override readonly name = 'InvalidRequestError';
  constructor(readonly argument: string, readonly problem: string) {
    super(`recommend(domain, k): "${argument}" ${problem}`);
  }
}

/** A worker script failed to load or crashed; names the script and what it must be. */
export class WorkerStartError extends HafrecWorkerError {
  override readonly name = 'WorkerStartError';
  constructor(readonly worker: string, readonly detail: string, readonly requirement: string) {
    super(`the worker ${worker} failed (${detail}); ${requirement}`);
  }
}

/** The user cancelled a long job (an evaluation) in the demo. */
export class CancelledError extends HafrecWorkerError {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled by the user');
  }
}

import { HafrecError } from '../../src/errors/hafrec-error.ts';

/** A benchmark could not set up or read what it measures (a missing build, target or figure); says which. */
export class BenchSetupError extends HafrecError {
  override readonly name = 'BenchSetupError';
}

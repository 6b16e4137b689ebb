/**
 * Every typed error a worker can throw, by name: what the clients re-create on the page side
 * of a worker boundary (src/errors/wire.ts). A class missing here arrives as a RemoteError
 * with the same name, code and fields; the test beside this file checks that none is missing.
 */
import type { ErrorClasses } from '../errors/wire.ts';
import { HafrecError } from '../errors/hafrec-error.ts';
import * as catalog from '../catalog/errors.ts';
import * as store from '../store/errors.ts';
import * as model from '../model/errors.ts';
import * as embedding from '../embedding/errors.ts';
import * as worker from './errors.ts';

/**
 * Keyed by export name, which minifiers keep (a class's own function name they may not); every
 * error class exports under its `name` literal (checked by the test beside this file).
 */
function byName(...modules: readonly object[]): ErrorClasses {
  const out: Record<string, { prototype: Error }> = {};
  for (const module of modules) {
    for (const [key, value] of Object.entries(module)) {
      if (typeof value === 'function' && value.prototype instanceof Error) out[key] = value as { prototype: Error };
    }
  }
  return out;
}

export const ERROR_CLASSES: ErrorClasses = byName(
  { HafrecError },
  catalog,
  store,
  model,
  embedding,
  worker,
);

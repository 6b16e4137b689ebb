import { HafrecError } from '../errors/hafrec-error.ts';

/** Typed errors of the model layer: each says what was wrong and what is valid. */
export class ModelError extends HafrecError {
  override readonly name: string = 'ModelError';
}

/** Saved weights were made for another catalog (name, size or item ids differ). */
export class CatalogMismatchError extends ModelError {
  override readonly name = 'CatalogMismatchError';
}

/** Feature tables do not match the catalog, or the ones the weights were trained with. */
export class FeatureMismatchError extends ModelError {
  override readonly name = 'FeatureMismatchError';
}

/** A weights folder or manifest is missing, unreadable or inconsistent. */
export class WeightsFormatError extends ModelError {
  override readonly name = 'WeightsFormatError';
}

/** A backend was asked for that this environment cannot run. */
export class BackendUnavailableError extends ModelError {
  override readonly name = 'BackendUnavailableError';
}

/** The WebGPU device was lost and no other backend could take over. */
export class DeviceLostError extends ModelError {
  override readonly name = 'DeviceLostError';
}

/** A model setting is out of range; names it and what is valid. */
export class ConfigError extends ModelError {
  override readonly name = 'ConfigError';
}

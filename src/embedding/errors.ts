import { HafrecError } from '../errors/hafrec-error.ts';

/** Base of every embedding error: says what was wrong and what is valid. */
export class EmbeddingError extends HafrecError {
  override readonly name: string = 'EmbeddingError';
}

/** A model folder or hub repo lacks a file the CLIP loader needs. */
export class ModelFileError extends EmbeddingError {
  override readonly name = 'ModelFileError';
  constructor(
    readonly model: string,
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      `model "${model}": cannot load ${file} (${detail}); a CLIP model folder needs config.json (model_type "clip"), ` +
        'tokenizer.json, tokenizer_config.json, preprocessor_config.json, onnx/text_model.onnx and onnx/vision_model.onnx',
    );
  }
}

/** An option has a value outside what is supported. */
export class EmbeddingOptionError extends EmbeddingError {
  override readonly name = 'EmbeddingOptionError';
  constructor(option: string, value: unknown, valid: string) {
    super(`${option} ${JSON.stringify(value)} is invalid: valid values are ${valid}`);
  }
}

/** An input (text or image) could not be embedded; names which one and why. */
export class EmbeddingInputError extends EmbeddingError {
  override readonly name = 'EmbeddingInputError';
  constructor(readonly index: number, detail: string) {
    super(`input #${index}: ${detail}`);
  }
}

/** A feature file is malformed, of an unknown version, or made for another catalog. */
export class FeatureFileError extends EmbeddingError {
  override readonly name = 'FeatureFileError';
}

/** The embedding cache was asked for an encoding it does not have (names the valid ones). */
export class EmbeddingCacheError extends EmbeddingError {
  override readonly name = 'EmbeddingCacheError';
}

/** Saved weights need features from an encoder this code cannot compute here. */
export class UnsupportedEncoderError extends EmbeddingError {
  override readonly name = 'UnsupportedEncoderError';
  constructor(readonly modality: string, readonly encoder: string, readonly where: string) {
    super(`the weights need ${modality} features from "${encoder}"; ${where} computes lexical-v1 text features only ("lexical-v1-d<dim>[-s<seed>]")`);
  }
}

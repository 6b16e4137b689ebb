import { HafrecError } from '../errors/hafrec-error.ts';

/*
 * The tag's own errors. They arise on the page and never cross a worker boundary, so they are
 * not in the engine's ERROR_CLASSES.
 */

/** A required attribute is missing or a value is invalid; names the attribute and what is valid. */
export class EmbedConfigError extends HafrecError {
  override readonly name = 'EmbedConfigError';
  constructor(readonly attribute: string, readonly problem: string) {
    super(`hafrec script tag: ${attribute} ${problem}`);
  }
}

/** `hafrec.push` got something that is not one of the tag's commands; names what is valid. */
export class UnknownCommandError extends HafrecError {
  override readonly name = 'UnknownCommandError';
  constructor(readonly command: string, readonly valid: readonly string[]) {
    super(`hafrec.push: unknown command ${command}; valid commands are ${valid.join(', ')}`);
  }
}

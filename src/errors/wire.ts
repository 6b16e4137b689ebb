import { errorCode, HafrecError } from './hafrec-error.ts';

/**
 * An error as it crosses a worker boundary: structured clone keeps only `name` and `message`
 * of an Error, so the class name, the code and the error's own fields travel as data and are
 * re-created on the other side as an instance of the same class.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code: string;
  /** The error's own data fields (file, line, field, database...), clone-safe values only. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly stack?: string;
  readonly cause?: WireError;
}

/** Classes a receiver can re-create, by their `name`. */
export type ErrorClasses = Readonly<Record<string, { readonly prototype: Error }>>;

const OWN = new Set(['name', 'message', 'stack', 'cause']);
const MAX_DEPTH = 4;

export function toWire(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error), code: errorCode('Error'), fields: {} };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (OWN.has(key)) continue;
    const data = plain(value, 0);
    if (data !== DROP) fields[key] = data;
  }
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name,
    message: error.message,
    code: error instanceof HafrecError ? error.code : errorCode(error.name),
    fields,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause !== undefined && depth < MAX_DEPTH ? { cause: toWire(cause, depth + 1) } : {}),
  };
}

/**
 * The same error on this side: an instance of the class registered under its name (so
 * `instanceof StorageFullError` and `error.database` work), or a RemoteError keeping the name.
 */
export function fromWire(wire: WireError, classes: ErrorClasses): Error {
  const cls = Object.hasOwn(classes, wire.name) ? classes[wire.name] : undefined;
  const error: Error = cls ? (Object.create(cls.prototype) as Error) : new RemoteError(wire.name, wire.message, wire.code);
  const props: PropertyDescriptorMap = {
    name: { value: wire.name, enumerable: true, configurable: true },
    message: { value: wire.message, writable: true, configurable: true },
  };
  for (const [key, value] of Object.entries(wire.fields)) props[key] = { value, enumerable: true, configurable: true };
  if (wire.stack) props.stack = { value: wire.stack, writable: true, configurable: true };
  if (wire.cause) props.cause = { value: fromWire(wire.cause, classes), writable: true, configurable: true };
  return Object.defineProperties(error, props);
}

/** An error of a class this side does not know (a browser DOMException, a third-party error). */
export class RemoteError extends HafrecError {
  constructor(
    override readonly name: string,
    message: string,
    private readonly remoteCode: string,
  ) {
    super(message);
  }

  override get code(): string {
    return this.remoteCode;
  }
}

const DROP = Symbol('drop');

/** Clone-safe data: primitives, arrays and plain objects of them; functions and class instances dropped. */
function plain(value: unknown, depth: number): unknown {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return value;
  if (depth >= MAX_DEPTH || typeof value !== 'object') return DROP;
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1)).filter((v) => v !== DROP);
  if (Object.getPrototypeOf(value) !== Object.prototype) return DROP;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const data = plain(v, depth + 1);
    if (data !== DROP) out[k] = data;
  }
  return out;
}

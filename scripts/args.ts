import { HafrecError } from '../src/errors/hafrec-error.ts';
/** Minimal `--flag value` / `--flag` parser for the CLIs; unknown flags are an error. */
export type Args = Record<string, string | true>;

/** A command-line flag is unknown or its value is invalid; names it and what is valid. */
export class UsageError extends HafrecError {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: readonly string[], known: readonly string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) throw new UsageError(`unexpected argument "${token}"`);
    const [key, inline] = token.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.includes(key)) throw new UsageError(`unknown flag --${key}; valid flags: ${known.map((k) => `--${k}`).join(' ')}`);
    const next = argv[i + 1];
    if (inline !== undefined) args[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      args[key] = next;
      i++;
    } else args[key] = true;
  }
  return args;
}

export function stringArg(args: Args, key: string, fallback: string): string {
  const value = args[key];
  if (value === true) throw new UsageError(`--${key} needs a value`);
  return value ?? fallback;
}

export function choiceArg<T extends string>(args: Args, key: string, choices: readonly T[], fallback: T): T {
  const value = stringArg(args, key, fallback);
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${key} must be one of ${choices.join(', ')}; got "${value}"`);
  }
  return value as T;
}

export function numberArg(args: Args, key: string, fallback: number): number {
  const raw = args[key];
  if (raw === undefined) return fallback;
  const value = raw === true ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${key} must be a number; got "${String(raw)}"`);
  return value;
}

/** How every data CLI ends: one clear line for a typed error, a non-zero exit code, no stack trace. */
import { UsageError } from './args.ts';

/** Exit code 2 for usage errors (wrong flags), 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

/**
 * The message a CLI prints for an error: its class name and message (which say what was
 * wrong and what is valid), the usage line after a usage error. The stack is shown only
 * with HAFREC_DEBUG=1, for developers.
 */
export function describeError(error: unknown, usage: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `error: ${String(error)}`;
  const debug = process.env.HAFREC_DEBUG === '1' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return error instanceof UsageError ? `${text}\n${usage}` : `${text}${debug}`;
}

/** Runs a CLI's main and turns any rejection into describeError's message and exitCodeOf's code. */
export function runCli(main: () => Promise<void>, usage: string): void {
  main().catch((error: unknown) => {
    console.error(describeError(error, usage));
    process.exitCode = exitCodeOf(error);
  });
}

/** Types of prepare-entry.mjs (plain JavaScript so that npm's lifecycle step needs no tsx). */
export function startedByLifecycle(env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): boolean;

/**
 * The `prepare` npm script. `prepare` is also an npm lifecycle name: npm runs it with no
 * arguments after `npm install`, `npm ci` and `npm pack`, where it must do nothing (and not
 * need tsx, absent from production installs). `npm run prepare -- ...` runs scripts/prepare.ts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** True when npm started this as the install/ci/pack lifecycle step rather than `npm run prepare`. */
export function startedByLifecycle(env, argv) {
  return env.npm_lifecycle_event === 'prepare' && env.npm_command !== undefined && env.npm_command !== 'run' && env.npm_command !== 'run-script' && argv.length === 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  if (!startedByLifecycle(process.env, argv)) {
    const cli = fileURLToPath(new URL('./prepare.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...argv], { stdio: 'inherit' });
    process.exitCode = run.status ?? 1;
  }
}

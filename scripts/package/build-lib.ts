/**
 * `npm run build:lib` (and `npm pack`, through prepack): builds the package to lib/.
 * - tsc (tsconfig.lib.json) compiles every entry point of package.json "exports" and the engine
 *   worker to ES modules with type declarations and source maps;
 * - relative `.ts` specifiers left in the output become `.js`: tsc rewrites import specifiers,
 *   but not the engine worker's `new URL('./hafrec-worker.ts', import.meta.url)`, nor the
 *   specifiers of declaration files;
 * - Vite builds the storefront tag (embed.js, embed-worker.js and their chunks) into lib/embed/.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../..');
export const LIB = join(ROOT, 'lib');

/** A relative module specifier ending in .ts, in single or double quotes (not .d.ts). */
const RELATIVE_TS = /(['"])(\.{1,2}\/[^'"\n]*?)(?<!\.d)\.ts\1/g;

/** `text` with every relative `.ts` specifier pointing at the emitted `.js` file instead. */
export function rewriteSpecifiers(text: string): string {
  return text.replace(RELATIVE_TS, (_match, quote: string, path: string) => `${quote}${path}.js${quote}`);
}

function emittedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(js|d\.ts)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function compile(): number {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.lib.json')], { stdio: 'inherit' });
  let rewritten = 0;
  for (const file of emittedFiles(LIB)) {
    const text = readFileSync(file, 'utf8');
    const next = rewriteSpecifiers(text);
    if (next !== text) {
      writeFileSync(file, next);
      rewritten++;
    }
  }
  return rewritten;
}

async function buildTag(): Promise<void> {
  const configFile = join(ROOT, 'vite.embed.config.ts');
  for (const mode of ['production', 'worker']) {
    await build({ configFile, mode, logLevel: 'warn', build: { outDir: join(LIB, 'embed') } });
  }
}

async function main(): Promise<void> {
  rmSync(LIB, { recursive: true, force: true });
  const started = performance.now();
  const rewritten = compile();
  await buildTag();
  const files = emittedFiles(LIB).length;
  console.log(`lib/: ${files} modules and declarations (${rewritten} with .ts specifiers rewritten), the storefront tag in lib/embed/, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();

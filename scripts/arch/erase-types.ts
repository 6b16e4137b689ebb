/**
 * Writes src/ as it runs: every .ts file with its types erased by swc, as Vite does under
 * `verbatimModuleSyntax` (`import type` and `export type` go; `import { type X }` stays as a
 * side-effect import). dependency-cruiser's swc parser labels no import as type-only, and its
 * reachability rules follow every edge, so the rule that the storefront tag never loads
 * TensorFlow.js, transformers.js or ONNX Runtime (.dependency-cruiser.cjs, "tag-not-to-heavy")
 * cruises this copy. It lies in ERASED under the root, so its packages resolve from the root's
 * node_modules as the original files' do.
 *
 * Usage: tsx scripts/arch/erase-types.ts (the first step of npm run lint:imports).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformFileSync } from '@swc/core';

/** Where the erased copy of src/ lies, relative to the root (a build folder, ignored by git). */
export const ERASED = '.tsbuild/type-erased';

/** Writes root/src with types erased to root/ERASED/src, replacing what was there. */
export function eraseTypes(root: string): void {
  const src = join(root, 'src');
  const out = join(root, ERASED);
  rmSync(out, { recursive: true, force: true });
  for (const entry of readdirSync(src, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const { code } = transformFileSync(file, {
      jsc: { parser: { syntax: 'typescript' }, target: 'esnext', transform: { verbatimModuleSyntax: true } },
      module: { type: 'es6' },
      isModule: true,
      swcrc: false,
      configFile: false,
    });
    const target = join(out, 'src', relative(src, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) eraseTypes(join(import.meta.dirname, '../..'));

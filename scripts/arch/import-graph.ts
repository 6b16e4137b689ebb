/**
 * The import graph of src/: every static import, re-export and dynamic import of each file,
 * resolved to a path relative to src/ (ours) or a package name (theirs). Read by the layer
 * rules test, so the build fails when a dependency points the wrong way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Edge {
  /** Path relative to src/ ("model/encoder.ts") or a package ("@tensorflow/tfjs"). */
  readonly target: string;
  readonly kind: 'static' | 'type' | 'dynamic';
}

export interface SourceFile {
  readonly path: string;
  readonly edges: readonly Edge[];
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\sfrom\s+)?'([^']+)'/g;
const DYNAMIC = /import\(\s*'([^']+)'\s*\)/g;

export function listSources(root: string, keep: (path: string) => boolean = () => true): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter(keep)
    .sort();
}

/** Package name of a bare specifier: "@scope/name/deep?url" -> "@scope/name". */
function packageOf(specifier: string): string {
  const parts = specifier.split('?')[0]!.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function readSource(root: string, path: string): SourceFile {
  const text = readFileSync(join(root, path), 'utf8');
  const edges: Edge[] = [];
  const add = (specifier: string, kind: Edge['kind']): void => {
    const target = specifier.startsWith('.') ? relative(root, resolve(root, dirname(path), specifier.split('?')[0]!)) : packageOf(specifier);
    edges.push({ target, kind });
  };
  for (const m of text.matchAll(IMPORT)) add(m[3]!, m[2] ? 'type' : 'static');
  for (const m of text.matchAll(DYNAMIC)) add(m[1]!, 'dynamic');
  return { path, edges };
}

/** Files reachable from `start` through static (not type-only, not dynamic) imports of ours. */
export function staticClosure(files: ReadonlyMap<string, SourceFile>, start: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const edge of files.get(path)?.edges ?? []) if (edge.kind === 'static' && files.has(edge.target)) stack.push(edge.target);
  }
  return seen;
}

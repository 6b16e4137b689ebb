/**
 * The import graph of src/: every static import, re-export and dynamic import of each file,
 * resolved to a path relative to src/ (ours) or a package name (theirs). Read by the layer
 * rules test, so the build fails when a dependency points the wrong way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  return closure(files, start, ['static']);
}

/** Files reachable from `start` through imports of ours of the given kinds. */
export function closure(files: ReadonlyMap<string, SourceFile>, start: readonly string[], kinds: readonly Edge['kind'][]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    for (const edge of files.get(path)?.edges ?? []) if (kinds.includes(edge.kind) && files.has(edge.target)) stack.push(edge.target);
  }
  return seen;
}

/** An installed package: its folder and the packages it may load (dependencies, optional and peer). */
export interface PackageInfo {
  readonly dir: string;
  readonly dependencies: readonly string[];
}

/** Finds package `name` as Node does from `fromDir`: node_modules/`name` there or in a folder above. */
export type PackageFinder = (name: string, fromDir: string) => PackageInfo | undefined;

export const findPackage: PackageFinder = (name, fromDir) => {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as Partial<Record<'dependencies' | 'optionalDependencies' | 'peerDependencies', Record<string, string>>>;
      const dependencies = [json.dependencies, json.optionalDependencies, json.peerDependencies].flatMap((d) => Object.keys(d ?? {}));
      return { dir: dirname(manifest), dependencies: [...new Set(dependencies)].sort() };
    }
    if (dirname(dir) === dir) return undefined;
  }
};

/**
 * Every chain by which the files of `start` may load a package that `banned` matches: through
 * their static and dynamic imports (a dynamic import still ships with the bundle or is fetched by
 * it; type-only imports are erased), then through packages into the packages they declare
 * (package.json dependencies, optional and peer: what a package may import, installed where Node
 * finds it from `fromDir`). A chain reads "embed/a.ts -> store/b.ts -> idb -> x -> @tensorflow/tfjs-core".
 */
export function bannedPackageChains(
  files: ReadonlyMap<string, SourceFile>,
  start: readonly string[],
  banned: (name: string) => boolean,
  fromDir: string,
  find: PackageFinder = findPackage,
): string[] {
  const chains: string[] = [];
  // Our files, each with the chain of ours that reaches it (breadth first: the shortest).
  const via = new Map<string, readonly string[]>(start.map((p) => [p, [p]]));
  const queue = [...start];
  // Packages by folder, so a package installed twice is followed in each copy.
  const seenPackages = new Set<string>();
  const packageQueue: { name: string; fromDir: string; chain: readonly string[] }[] = [];
  while (queue.length > 0) {
    const path = queue.shift()!;
    for (const edge of files.get(path)?.edges ?? []) {
      if (edge.kind === 'type' || edge.target.startsWith('node:')) continue;
      const chain = [...via.get(path)!, edge.target];
      if (files.has(edge.target) || edge.target.endsWith('.ts')) {
        if (!via.has(edge.target)) {
          via.set(edge.target, chain);
          queue.push(edge.target);
        }
      } else packageQueue.push({ name: edge.target, fromDir, chain });
    }
  }
  while (packageQueue.length > 0) {
    const { name, fromDir: from, chain } = packageQueue.shift()!;
    if (banned(name)) {
      chains.push(chain.join(' -> '));
      continue;
    }
    const info = find(name, from);
    if (!info || seenPackages.has(info.dir)) continue;
    seenPackages.add(info.dir);
    for (const dependency of info.dependencies) packageQueue.push({ name: dependency, fromDir: info.dir, chain: [...chain, dependency] });
  }
  return [...new Set(chains)].sort();
}

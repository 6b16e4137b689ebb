import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Type-checking is split by where code runs (docs/architecture.md): each project of
 * tsconfig.json checks its files with the globals of one context. These tests keep the split
 * honest: every source file is in a project, production code in a production context, and no
 * project gets another context's globals (a package's `/// <reference lib="dom" />` would give
 * them to every file of a project without one error to show it).
 */
const ROOT = join(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');

interface Context {
  readonly dom: boolean;
  readonly webworker: boolean;
  readonly node: boolean;
}
const CONTEXTS: Readonly<Record<string, Context>> = {
  'tsconfig.page.json': { dom: true, webworker: false, node: false },
  'tsconfig.worker.json': { dom: false, webworker: true, node: false },
  'tsconfig.node.json': { dom: false, webworker: false, node: true },
  // Tests and browser drivers: Node code that reaches into pages.
  'tsconfig.test.json': { dom: true, webworker: false, node: true },
};
const PRODUCTION = ['tsconfig.page.json', 'tsconfig.worker.json', 'tsconfig.node.json'];
const testSupport = (path: string): boolean => /\.test\.ts$|(^|\/)test-fixtures\.ts$|(^|\/)test-config\.ts$|\/fixtures\//.test(path);

/** tsconfig files may hold comments (whole lines only, here). */
const readJsonc = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8').replace(/^\s*\/\/.*$/gm, ''));

/** The files of a project's program: its own sources relative to the root, and whether it holds each context's globals. */
function program(config: string): { readonly files: Set<string>; readonly context: Context } {
  const listed = execFileSync(TSC, ['-p', config, '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  return {
    files: new Set(listed.filter((f) => !f.includes('/node_modules/')).map((f) => relative(ROOT, f))),
    context: {
      dom: listed.some((f) => f.endsWith('/lib.dom.d.ts')),
      webworker: listed.some((f) => f.endsWith('/lib.webworker.d.ts')),
      node: listed.some((f) => f.includes('/@types/node/')),
    },
  };
}

/** The TypeScript sources (not declarations) under `root`, relative to it, that `keep` keeps. */
function listSources(root: string, keep: (path: string) => boolean = () => true): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter(keep)
    .sort();
}

const references = (readJsonc('tsconfig.json') as { references: { path: string }[] }).references.map((r) => r.path.replace(/^\.\//, ''));
const programs = new Map(references.map((config) => [config, program(config)]));
// The packed package's consumer app imports `hafrec` as installed: e2e/package.spec.ts type-checks it there.
const CONSUMER = 'scripts/package/consumer/';
const sources = [
  ...listSources(ROOT, (p) => !p.includes('/') && p.endsWith('.ts')),
  ...['src', 'scripts', 'e2e'].flatMap((dir) => listSources(join(ROOT, dir)).map((p) => `${dir}/${p}`)),
].filter((p) => !p.startsWith(CONSUMER));

describe('type-checking projects', () => {
  it('tsconfig.json references exactly the page, worker, node and test projects, and npm run typecheck builds them all', () => {
    expect(references.sort()).toEqual(Object.keys(CONTEXTS).sort());
    const scripts = (readJsonc('package.json') as { scripts: Record<string, string> }).scripts;
    expect(scripts.typecheck).toBe('tsc -b');
  });

  it("each project has its context's globals and no other's", () => {
    for (const [config, { context }] of programs) expect(context, config).toEqual(CONTEXTS[config]);
  });

  it('every source file is type-checked, and production code in a production context', () => {
    const inAny = (configs: readonly string[], path: string): boolean => configs.some((c) => programs.get(c)!.files.has(path));
    expect(sources.filter((p) => !inAny(references, p))).toEqual([]);
    const production = sources.filter((p) => p.startsWith('src/') && !testSupport(p));
    expect(production.filter((p) => !inAny(PRODUCTION, p))).toEqual([]);
  });

  it('production projects hold no tests (test fixtures may serve the e2e pages)', () => {
    for (const config of PRODUCTION) expect([...programs.get(config)!.files].filter((p) => p.endsWith('.test.ts')), config).toEqual([]);
  });
});

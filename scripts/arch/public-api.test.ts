import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseFileSync } from '@swc/core';
import { describe, expect, it } from 'vitest';
import { ERROR_CLASSES } from '../../src/engine/error-classes.ts';

/** The package's entry points (package.json "exports"): a small root and one face per layer. */
const ROOT = join(import.meta.dirname, '../..');
type Entry = string | { readonly types: string; readonly default: string };
const EXPORTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Entry> }).exports;
/** The source file of each compiled entry point: ./lib/model/index.js is built from ./src/model/index.ts. */
const SOURCES = Object.fromEntries(
  Object.entries(EXPORTS).flatMap(([entry, target]) => (typeof target === 'string' ? [] : [[entry, target.default.replace(/^\.\/lib\//, './src/').replace(/\.js$/, '.ts')]])),
);
const SOURCE_ENTRIES = Object.entries(SOURCES);

describe('public API', () => {
  it('every entry point loads and exports something', async () => {
    for (const [entry, file] of SOURCE_ENTRIES) {
      const module = (await import(join(ROOT, file))) as Record<string, unknown>;
      expect(Object.keys(module).length, entry).toBeGreaterThan(0);
    }
  }, 60_000);

  it('the root stays small: shared types, errors, the WebGPU probe', async () => {
    const root = (await import(join(ROOT, SOURCES['.']!))) as Record<string, unknown>;
    const values = Object.keys(root);
    expect(values.length).toBeLessThan(50);
    for (const name of Object.keys(ERROR_CLASSES)) expect(values, `${name} is not exported from the root`).toContain(name);
  });

  it('every compiled entry point has its declarations beside it', () => {
    for (const [entry, target] of Object.entries(EXPORTS)) {
      if (typeof target !== 'string') expect(target.types, entry).toBe(target.default.replace(/\.js$/, '.d.ts'));
    }
    expect(Object.keys(SOURCES).length).toBeGreaterThan(5);
  });

  it("a layer's face re-exports only its own files", () => {
    for (const [entry, file] of SOURCE_ENTRIES.filter(([e]) => e !== '.' && e !== './node')) {
      const layer = file.split('/')[2]!;
      const face = join(ROOT, 'src', layer, 'index.ts');
      expect(sources(face).length, entry).toBeGreaterThan(0);
      const foreign = sources(face)
        .map((s) => (s.startsWith('.') ? relative(join(ROOT, 'src'), resolve(dirname(face), s)) : s))
        .filter((target) => !target.startsWith(`${layer}/`));
      expect(foreign, entry).toEqual([]);
    }
  });
});

/** What a file imports and re-exports from (every import and export declaration with a source). */
function sources(file: string): string[] {
  return parseFileSync(file, { syntax: 'typescript' })
    .body.filter((item) => item.type === 'ImportDeclaration' || item.type === 'ExportAllDeclaration' || item.type === 'ExportNamedDeclaration')
    .flatMap((item) => (item.source ? [item.source.value] : []));
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CLASSES } from '../../src/engine/error-classes.ts';
import { readSource } from './import-graph.ts';

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
      const foreign = readSource(join(ROOT, 'src'), `${layer}/index.ts`).edges.filter((e) => !e.target.startsWith(`${layer}/`));
      expect(foreign.map((e) => e.target), entry).toEqual([]);
    }
  });
});

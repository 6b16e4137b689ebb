import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { ERASED, eraseTypes } from './erase-types.ts';

/**
 * The dependency rules of the architecture live in .dependency-cruiser.cjs and are checked by
 * `npm run lint:imports`; these tests run the same rules through dependency-cruiser's API on the
 * real tree, and on a small tree that breaks each of them, so a rule that matches nothing fails.
 */
const ROOT = join(import.meta.dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Cruises `root` as npm run lint:imports does: src, scripts and the tag with types erased. */
async function violations(root: string, options: ICruiseOptions): Promise<{ violations: string[]; modules: string[] }> {
  eraseTypes(root);
  const dirs = ['src', 'scripts', `${ERASED}/src/storefront`].filter((d) => existsSync(join(root, d)));
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { output } = await cruise(dirs, { ...options, validate: true, baseDir: root });
    const result = output as ICruiseResult;
    return {
      violations: result.summary.violations
        .map((v) => `${v.rule.name}: ${[v.from, ...(v.via?.map((d) => d.name) ?? (v.to === v.from ? [] : [v.to]))].join(' -> ')}`)
        .sort(),
      modules: result.modules.map((m) => m.source),
    };
  } finally {
    process.chdir(cwd);
  }
}

let options: ICruiseOptions;
beforeAll(async () => {
  options = await extractDepcruiseOptions(CONFIG);
});

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('the real tree keeps them, and the tag rule follows the tag into the packages it uses', async () => {
    const { violations: found, modules } = await violations(ROOT, options);
    expect(found).toEqual([]);
    expect(modules).toContain(`${ERASED}/src/storefront/embed.ts`);
    expect(modules).toContain(`${ERASED}/src/store/open-db.ts`);
    expect(modules.some((m) => /(^|\/)node_modules\/idb\//.test(m))).toBe(true);
  }, 60_000);

  it('every folder of src has a rule', () => {
    const layers = new Set(options.ruleSet!.forbidden!.map((r) => r.name).filter((n) => n?.startsWith('layer-')));
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `layer-${e.name}`);
    expect(folders.filter((f) => !layers.has(f))).toEqual([]);
  });

  describe('catch what breaks them (the checker itself works)', () => {
    let root: string;
    const write = (files: Record<string, string>): void => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
    };
    const pkg = (name: string, imports: string[]): Record<string, string> => ({
      [`node_modules/${name}/package.json`]: JSON.stringify({ name, main: 'index.js', type: 'module', dependencies: Object.fromEntries(imports.map((i) => [i, '*'])) }),
      [`node_modules/${name}/index.js`]: `${imports.map((i) => `import '${i}';`).join('\n')}\nexport const value = 1;\n`,
    });
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'hafrec-layers-'));
      write({
        'package.json': JSON.stringify({ name: 'shop', type: 'module', dependencies: { idb: '*', '@tensorflow/tfjs': '*', '@tensorflow/tfjs-backend-webgpu': '*' } }),
        ...pkg('idb', ['tiny-helper']),
        ...pkg('tiny-helper', ['onnxruntime-web', 'idb']),
        ...pkg('onnxruntime-web', []),
        ...pkg('@tensorflow/tfjs', []),
        ...pkg('@tensorflow/tfjs-backend-webgpu', []),
        'src/errors/errors.ts': 'export class HafrecError extends Error {}\n',
        'src/eval/evaluate.ts': 'export const evaluate = 1;\n',
        // A wrong-way import, type-only: it counts for the layer rules.
        'src/catalog/a.ts': "import type { B } from '../model/b.ts';\nexport const a: B = 1;\n",
        // Tests may reach anything.
        'src/catalog/a.test.ts': "import { a } from './a.ts';\nimport { evaluate } from '../eval/evaluate.ts';\nimport '@tensorflow/tfjs';\nexport const t = [a, evaluate];\n",
        // The model may not see evaluate, nor use idb (the store's alone).
        'src/model/b.ts': "import { evaluate } from '../eval/evaluate.ts';\nimport { value } from 'idb';\nimport { join } from 'node:path';\nexport type B = number;\nexport const b = [evaluate, value, join];\n",
        'src/model/model.ts': "import { value } from '@tensorflow/tfjs-backend-webgpu';\nexport const model = value;\n",
        // The tag's type-only import of the protocol is erased: it loads nothing.
        'src/engine/protocol.ts': "import { model } from '../model/model.ts';\nexport type Protocol = typeof model;\n",
        'src/store/db.ts': "import { value } from 'idb';\nexport const db = value;\n",
        // The tag: tfjs through a dynamic import of its own file, onnxruntime-web through idb.
        'src/storefront/embed.ts': "import { db } from '../store/db.ts';\nimport type { Protocol } from '../engine/protocol.ts';\nexport const load = (p?: Protocol) => [db, p, import('./lazy.ts')];\n",
        'src/storefront/lazy.ts': "export * from '@tensorflow/tfjs';\n",
        // A cycle inside one layer, through a type-only import one way and a lazy import back.
        'src/eval/ranks.ts': "import type { Scores } from './scores.ts';\nexport const ranks = (s: Scores) => [s, import('./scores.ts')];\n",
        'src/eval/scores.ts': "import { ranks } from './ranks.ts';\nexport type Scores = number[];\nexport const scores = ranks;\n",
        // A folder without a rule, and a file nothing imports.
        'src/gadgets/g.ts': "import { HafrecError } from '../errors/errors.ts';\nexport const g = HafrecError;\n",
      });
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('reports each broken rule, and nothing for tests or type-only imports the tag makes', async () => {
      const E = `${ERASED}/src`;
      expect((await violations(root, options)).violations).toEqual([
        'layer-catalog: src/catalog/a.ts -> src/model/b.ts',
        'layer-model: src/model/b.ts -> node_modules/idb/index.js',
        'layer-model: src/model/b.ts -> src/eval/evaluate.ts',
        'layer-storefront: src/storefront/lazy.ts -> node_modules/@tensorflow/tfjs/index.js',
        'layer-unknown: src/gadgets/g.ts -> src/errors/errors.ts',
        'no-circular: src/eval/ranks.ts -> src/eval/scores.ts',
        'no-unused: src/gadgets/g.ts',
        `tag-not-to-heavy: ${E}/storefront/embed.ts -> ${E}/storefront/lazy.ts -> node_modules/@tensorflow/tfjs/index.js`,
        `tag-not-to-heavy: ${E}/storefront/embed.ts -> ${E}/store/db.ts -> node_modules/idb/index.js -> node_modules/tiny-helper/index.js -> node_modules/onnxruntime-web/index.js`,
        `tag-not-to-heavy: ${E}/storefront/lazy.ts -> node_modules/@tensorflow/tfjs/index.js`,
      ].sort());
    }, 60_000);
  });
});

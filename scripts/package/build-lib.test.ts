import { describe, expect, it } from 'vitest';
import { rewriteSpecifiers } from './build-lib.ts';

describe('rewriteSpecifiers', () => {
  it('points relative .ts specifiers of modules and declarations at the emitted .js files', () => {
    const js = "import { a } from './a.ts';\nexport * from \"../b/c.ts\";\nnew Worker(new URL('./hafrec-worker.ts', import.meta.url));\nawait import('./lazy.ts');";
    expect(rewriteSpecifiers(js)).toBe("import { a } from './a.js';\nexport * from \"../b/c.js\";\nnew Worker(new URL('./hafrec-worker.js', import.meta.url));\nawait import('./lazy.js');");
    expect(rewriteSpecifiers('type T = import("./types.ts").Item;')).toBe('type T = import("./types.js").Item;');
  });

  it('leaves packages, declaration files, other extensions and prose alone', () => {
    const kept = "import x from '@tensorflow/tfjs-backend-wasm/dist/a.wasm?url';\nimport './types.d.ts';\nimport y from './data.json';\n// see model.ts for why\nconst s = 'a.ts';";
    expect(rewriteSpecifiers(kept)).toBe(kept);
  });
});

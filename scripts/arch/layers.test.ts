import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bannedPackageChains, findPackage, listSources, readSource, staticClosure, type PackageInfo, type SourceFile } from './import-graph.ts';

/**
 * The dependency rules of the architecture (README, "Architecture"), checked on every build:
 * each layer names the layers and packages its production code may import. `idb` is the
 * store's alone: src/store owns every IndexedDB database and hands out typed APIs, never one.
 */
const SRC = join(import.meta.dirname, '../../src');
const LAYERS: Readonly<Record<string, { readonly ours: readonly string[]; readonly packages: readonly string[] }>> = {
  errors: { ours: [], packages: [] },
  env: { ours: [], packages: [] },
  catalog: { ours: ['errors'], packages: [] },
  eval: { ours: ['errors', 'catalog'], packages: [] },
  store: { ours: ['errors', 'catalog'], packages: ['idb'] },
  embedding: { ours: ['errors', 'catalog', 'env'], packages: ['@huggingface/transformers', 'onnxruntime-web'] },
  // The model sees eval only through the Recommender interface and its top-k helper, and the
  // co-occurrence counts its distillation teacher is made of (distill-teacher.ts).
  model: { ours: ['errors', 'catalog', 'env', 'eval/recommender.ts', 'eval/top-k.ts', 'eval/baselines/cooccurrence.ts'], packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'webgpu'] },
  // The one worker engine: it alone wires model, embedding and store.
  engine: { ours: ['errors', 'catalog', 'eval', 'store', 'embedding', 'model', 'env'], packages: ['@tensorflow/tfjs'] },
  // The tag reaches the engine only through its client, request checks, errors and result types.
  storefront: {
    ours: ['errors', 'catalog', 'store', 'engine/hafrec-client.ts', 'engine/recommend-request.ts', 'engine/errors.ts', 'engine/error-classes.ts', 'engine/recommend-service.ts', 'engine/protocol.ts'],
    packages: [],
  },
  // Node tooling that writes and reads the static files a shop serves (npm run bundle, eval --model bundle).
  bundle: { ours: ['errors', 'catalog', 'eval', 'embedding', 'model', 'engine'], packages: ['@tensorflow/tfjs'] },
  // The demo app reaches the one engine worker only through the tag's client (started for it by
  // demo-engine.ts), the recommend answer's types and the workbench requests' types and choices,
  // plus the CLIP embedding client of its settings page.
  demo: {
    ours: [
      'errors', 'catalog', 'store', 'env', 'engine/demo-engine.ts', 'engine/hafrec-client.ts', 'engine/recommend-service.ts', 'engine/insight.ts',
      'engine/workbench/workbench-protocol.ts', 'engine/embedding-client.ts', 'engine/errors.ts', 'engine/model-kinds.ts',
    ],
    packages: ['uplot'],
  },
};
const NODE_BUILTIN = /^node:/;
/** What the storefront tag must never load: TensorFlow.js, transformers.js, ONNX Runtime. */
const HEAVY = /^@tensorflow\/|^@huggingface\/|^onnxruntime(-|$)/;
const heavy = (name: string): boolean => HEAVY.test(name);

// Test support (tests, fixtures, test-fixtures.ts) may reach anything; production code may not.
const production = listSources(SRC, (p) => !p.endsWith('.test.ts') && !p.endsWith('test-fixtures.ts') && !p.includes('/fixtures/') && p.includes('/'));
const files = new Map<string, SourceFile>(production.map((p) => [p, readSource(SRC, p)]));
const layerOf = (path: string): string => path.split('/')[0]!;
const allowed = (rule: readonly string[], target: string): boolean => rule.some((r) => target === r || target.startsWith(`${r}/`));

describe('layer rules', () => {
  it('every production folder of src has a rule', () => {
    expect([...new Set(production.map(layerOf))].filter((l) => !(l in LAYERS))).toEqual([]);
  });

  it('each layer imports only the layers and packages its rule names', () => {
    expect(brokenEdges(files)).toEqual([]);
  });

  it('the storefront tag never loads TensorFlow.js, transformers.js or ONNX Runtime, even indirectly', () => {
    const tag = production.filter((p) => layerOf(p) === 'storefront');
    expect(tag).toContain('storefront/embed.ts');
    // Through our files (static and dynamic imports: the tag is one IIFE that inlines both) and
    // then through the packages they use, into every package those declare.
    expect(bannedPackageChains(files, tag, heavy, SRC)).toEqual([]);
    expect(staticClosure(files, tag).has('store/open-db.ts')).toBe(true);
  });

  it('catches the tag reaching a heavy package through ours, a dynamic import or a package (the checker itself works)', () => {
    const graph = new Map<string, SourceFile>([
      ['embed/embed.ts', { path: 'embed/embed.ts', edges: [{ target: 'store/db.ts', kind: 'static' }, { target: 'embed/lazy.ts', kind: 'dynamic' }, { target: 'model/model.ts', kind: 'type' }] }],
      ['store/db.ts', { path: 'store/db.ts', edges: [{ target: 'idb', kind: 'static' }, { target: 'node:path', kind: 'static' }] }],
      ['embed/lazy.ts', { path: 'embed/lazy.ts', edges: [{ target: '@tensorflow/tfjs', kind: 'static' }] }],
      ['model/model.ts', { path: 'model/model.ts', edges: [{ target: '@tensorflow/tfjs', kind: 'static' }] }],
    ]);
    const packages: Record<string, PackageInfo> = {
      '/shop/node_modules/idb': { dir: '/shop/node_modules/idb', dependencies: ['tiny-helper'] },
      '/shop/node_modules/tiny-helper': { dir: '/shop/node_modules/tiny-helper', dependencies: ['onnxruntime-web', 'idb'] },
    };
    const find = (name: string): PackageInfo | undefined => packages[`/shop/node_modules/${name}`];
    expect(bannedPackageChains(graph, ['embed/embed.ts'], heavy, '/shop', find)).toEqual([
      'embed/embed.ts -> embed/lazy.ts -> @tensorflow/tfjs',
      'embed/embed.ts -> store/db.ts -> idb -> tiny-helper -> onnxruntime-web',
    ]);
    // Type-only imports are erased; a tag without the two paths above is clean.
    const clean = new Map(graph);
    clean.set('embed/embed.ts', { path: 'embed/embed.ts', edges: [{ target: 'model/model.ts', kind: 'type' }] });
    expect(bannedPackageChains(clean, ['embed/embed.ts'], heavy, '/shop', find)).toEqual([]);
  });

  it('finds installed packages and their dependencies as Node does', () => {
    const idb = findPackage('idb', SRC);
    expect(idb?.dir).toBe(join(SRC, '../node_modules/idb'));
    const transformers = findPackage('@huggingface/transformers', SRC)!;
    expect(transformers.dependencies).toContain('onnxruntime-web');
    expect(findPackage('no-such-package-hafrec', SRC)).toBeUndefined();
  });

  it('catches a wrong-way import (the checker itself works)', () => {
    const bad = new Map<string, SourceFile>([
      ['catalog/a.ts', { path: 'catalog/a.ts', edges: [{ target: 'model/b.ts', kind: 'type' }] }],
      ['model/b.ts', { path: 'model/b.ts', edges: [{ target: 'eval/evaluate.ts', kind: 'static' }, { target: 'idb', kind: 'static' }] }],
      ['eval/evaluate.ts', { path: 'eval/evaluate.ts', edges: [] }],
    ]);
    expect(brokenEdges(bad)).toEqual(['catalog/a.ts -> model/b.ts', 'model/b.ts -> eval/evaluate.ts', 'model/b.ts -> idb']);
  });
});

function brokenEdges(graph: ReadonlyMap<string, SourceFile>): string[] {
  const broken: string[] = [];
  for (const file of graph.values()) {
    const layer = layerOf(file.path);
    const rule = LAYERS[layer]!;
    for (const { target } of file.edges) {
      if (NODE_BUILTIN.test(target) || layerOf(target) === layer) continue;
      const ours = graph.has(target) || target.endsWith('.ts');
      if (ours ? !allowed(rule.ours, target) : !rule.packages.includes(target)) broken.push(`${file.path} -> ${target}`);
    }
  }
  return broken;
}

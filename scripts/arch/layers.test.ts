import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, readSource, staticClosure, type SourceFile } from './import-graph.ts';

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
  // The model sees eval only through the Recommender interface and its top-k helper.
  model: { ours: ['errors', 'catalog', 'env', 'eval/recommender.ts', 'eval/top-k.ts'], packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'webgpu'] },
  worker: { ours: ['errors', 'catalog', 'eval', 'store', 'embedding', 'model', 'env'], packages: ['@tensorflow/tfjs'] },
  // The tag reaches the worker only through its client, request checks, errors and result types.
  embed: {
    ours: ['errors', 'catalog', 'store', 'worker/hafrec-client.ts', 'worker/recommend-request.ts', 'worker/errors.ts', 'worker/error-classes.ts', 'worker/recommend-service.ts', 'worker/protocol.ts'],
    packages: [],
  },
  // Node tooling that writes and reads the static files a shop serves (npm run bundle, eval --model bundle).
  bundle: { ours: ['errors', 'catalog', 'eval', 'embedding', 'model', 'worker'], packages: ['@tensorflow/tfjs'] },
  app: { ours: ['errors', 'catalog', 'eval', 'store', 'embedding', 'model', 'worker', 'env'], packages: ['@tensorflow/tfjs', 'uplot'] },
};
const NODE_BUILTIN = /^node:/;

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
    const tag = staticClosure(files, production.filter((p) => layerOf(p) === 'embed'));
    const heavy = [...tag].flatMap((p) => files.get(p)!.edges.filter((e) => e.kind === 'static' && /^@tensorflow|^@huggingface|^onnxruntime/.test(e.target)).map((e) => `${p} -> ${e.target}`));
    expect(heavy).toEqual([]);
    expect(tag.has('embed/embed.ts')).toBe(true);
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

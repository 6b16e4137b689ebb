/**
 * The dependency rules of the architecture (README, "Architecture"), checked by
 * `npm run lint:imports` (part of `npm test`) and by scripts/arch/layers.test.ts.
 *
 * - One rule per folder of src/ ("layer-<folder>"): its production code may import only the
 *   folders and files of ours and the packages its entry in LAYERS names. Its own folder and
 *   Node's builtins are free; tests, test-fixtures.ts and fixtures/ folders may reach anything.
 *   Type-only imports count: a type pulls its layer's meaning in as surely as a value does.
 * - "layer-unknown": a new folder of src/ gets a rule before it gets code.
 * - "tag-not-to-heavy": the storefront tag never loads TensorFlow.js, transformers.js or ONNX
 *   Runtime, through our files (static and dynamic imports: the tag is one IIFE that inlines
 *   both) nor through the packages they use, however deep. Type-only imports are erased before
 *   the tag runs, and dependency-cruiser's swc parser cannot tell them apart, so this rule reads
 *   the copy of src/ with types erased that scripts/arch/erase-types.ts writes to ERASED.
 * - "no-unused": every production file of src/ is imported by something or is an entry point.
 * - "no-circular": no production file of src/ reaches itself through its imports, lazy ones
 *   and type-only ones included. A contract two files share (the registry's ModelContext, the
 *   serving session, the workbench's data) lives in a file of its own that both import.
 */

/** The erased copy of src/ (scripts/arch/erase-types.ts, ERASED). */
const ERASED = '.tsbuild/type-erased';

/** Test support: tests, test fixtures and fixture folders may reach anything. */
const TEST_SUPPORT = ['\\.test\\.ts$', '(^|/)test-fixtures\\.ts$', '/fixtures/'];

/** What the storefront tag must never load: TensorFlow.js, transformers.js, ONNX Runtime. */
const HEAVY = 'node_modules/(@tensorflow|@huggingface|onnxruntime[^/]*)/';

/**
 * Each layer: the folders and files of src/ (`ours`) and the packages its production code may
 * import. `idb` is the store's alone: src/store owns every IndexedDB database and hands out
 * typed APIs, never one.
 */
const LAYERS = {
  errors: { ours: [], packages: [] },
  env: { ours: [], packages: [] },
  catalog: { ours: ['errors'], packages: [] },
  eval: { ours: ['errors', 'catalog'], packages: [] },
  store: { ours: ['errors', 'catalog'], packages: ['idb'] },
  embedding: { ours: ['errors', 'catalog', 'env'], packages: ['@huggingface/transformers', 'onnxruntime-web'] },
  // The model sees eval only through the Recommender interface and its top-k helper, and the
  // co-occurrence counts its distillation teacher is made of (distill-teacher.ts).
  model: {
    ours: ['errors', 'catalog', 'env', 'eval/recommender.ts', 'eval/top-k.ts', 'eval/baselines/cooccurrence.ts'],
    packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'webgpu'],
  },
  // The one worker engine: it alone wires model, embedding and store.
  engine: { ours: ['errors', 'catalog', 'eval', 'store', 'embedding', 'model', 'env'], packages: ['@tensorflow/tfjs'] },
  // The tag reaches the engine only through its client, request checks, errors and result types.
  storefront: {
    ours: [
      'errors', 'catalog', 'store', 'engine/hafrec-client.ts', 'engine/recommend-request.ts', 'engine/errors.ts',
      'engine/error-classes.ts', 'engine/recommend-service.ts', 'engine/protocol.ts',
    ],
    packages: [],
  },
  // Node tooling that writes and reads the static files a shop serves (npm run bundle, eval --model bundle).
  bundle: { ours: ['errors', 'catalog', 'eval', 'embedding', 'model', 'engine'], packages: ['@tensorflow/tfjs'] },
  // The demo app reaches the one engine worker only through the tag's client (started for it by
  // demo-engine.ts), the recommend answer's types and the workbench requests' types and choices,
  // plus the CLIP embedding client of its settings page.
  demo: {
    ours: [
      'errors', 'catalog', 'store', 'env', 'engine/demo-engine.ts', 'engine/hafrec-client.ts', 'engine/recommend-service.ts',
      'engine/insight.ts', 'engine/workbench/workbench-protocol.ts', 'engine/embedding-client.ts', 'engine/errors.ts',
      'engine/model-kinds.ts',
    ],
    packages: ['uplot'],
  },
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A folder of ours and everything in it, or one file. */
const ours = (entry) => (entry.endsWith('.ts') ? `^src/${escape(entry)}$` : `^src/${escape(entry)}/`);
/** A package, resolved into node_modules (or left as its name when it cannot be resolved). */
const pkg = (name) => `(^|/)node_modules/${escape(name)}/|^${escape(name)}(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...Object.entries(LAYERS).map(([layer, rule]) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `src/${layer} may import only ${[...rule.ours, ...rule.packages].join(', ') || 'nothing'} (besides itself and node: builtins): README, "Architecture".`,
      from: { path: `^src/${layer}/`, pathNot: TEST_SUPPORT },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: [`^src/${layer}/`, ...rule.ours.map(ours), ...rule.packages.map(pkg)],
      },
    })),
    {
      name: 'layer-unknown',
      severity: 'error',
      comment: 'Every production folder of src/ has a rule in LAYERS (.dependency-cruiser.cjs): a new layer says what it may import.',
      from: { path: '^src/[^/]+/', pathNot: [`^src/(${Object.keys(LAYERS).join('|')})/`, ...TEST_SUPPORT] },
      to: {},
    },
    {
      name: 'tag-not-to-heavy',
      severity: 'error',
      comment:
        'The storefront tag ships to every shop page: it never loads TensorFlow.js, transformers.js or ONNX Runtime, ' +
        'through our files (static or dynamic imports) nor through the packages they use. Read on the copy of src/ ' +
        'with types erased (scripts/arch/erase-types.ts), as type-only imports never load anything.',
      from: { path: `^${escape(ERASED)}/src/storefront/`, pathNot: TEST_SUPPORT },
      to: { path: HEAVY, reachable: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Imports run one way inside a layer too: a file never reaches itself through its imports (lazy and type-only ones count). ' +
        'Move what two files share into a third that both import (see src/engine/model-context.ts).',
      from: { path: '^src/', pathNot: TEST_SUPPORT },
      to: { circular: true },
    },
    {
      name: 'no-unused',
      severity: 'error',
      comment:
        'A production file of src/ that nothing imports is dead code, unless it is an entry point: the package faces ' +
        "(package.json exports), the demo's page, the storefront tag and the engine worker.",
      module: {
        path: '^src/',
        pathNot: [
          '^src/(index|node)\\.ts$', '^src/[^/]+/index\\.ts$', '^src/demo/main\\.ts$', '^src/storefront/embed\\.ts$',
          '^src/engine/[^/]+-worker\\.ts$', '^src/storefront/test-config\\.ts$', ...TEST_SUPPORT,
        ],
        numberOfDependentsLessThan: 1,
      },
      from: {},
    },
  ],
  options: {
    // TypeScript 7 has no JS API for dependency-cruiser's tsc parser; swc parses TypeScript.
    parser: 'swc',
    // Into packages, to follow the tag's packages into theirs; not into the heavy ones (the
    // rules stop there) nor into dev tooling (tests and scripts only).
    doNotFollow: { path: HEAVY, dependencyTypes: ['npm-dev'] },
    // Resolve packages as Vite does for the browser.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'browser', 'module', 'default'],
      mainFields: ['module', 'browser', 'main'],
    },
    // node_modules may be a link (a worktree's); name packages by where they are found.
    preserveSymlinks: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};

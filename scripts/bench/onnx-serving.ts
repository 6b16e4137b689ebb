/**
 * HAF's serving graph (python/hafrec_torch/serve_onnx.py, exported from the same weights) in
 * ONNX Runtime's native CPU build for Node (onnxruntime-node, which @huggingface/transformers
 * brings in), one thread. The inputs are src/model/batch.ts's buildBatch with identity items,
 * built here on every call, as HafRecommender builds its batch on every call.
 */
import type { Catalog } from '../../src/catalog/types.ts';
import { buildBatch } from '../../src/model/batch.ts';
import type { Recommendation } from '../../src/eval/recommender.ts';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** One input of the serving graph (serve_onnx.py's input_names), as plain arrays. */
export interface ServingInput {
  readonly name: string;
  readonly data: Int32Array | Float32Array;
  readonly dims: readonly number[];
}

/** What the inputs need of a catalog. */
export type ServingCatalog = Pick<Catalog, 'domainOf' | 'domains' | 'size'>;

/**
 * The graph's inputs for these histories: positions [V, N], query_domain [N], then per view
 * items and mask [B, L]. A view nobody has items in gets one padding column (mask 0), since
 * the graph runs no attention over length 0.
 */
export function servingInputs(histories: readonly Int32Array[], domain: number, catalog: ServingCatalog, maxLength: number): ServingInput[] {
  const batch = buildBatch(histories.map((history) => ({ history, domain })), {
    domainOf: catalog.domainOf,
    domains: catalog.domains.length,
    maxLength,
    identityItems: catalog.size,
  });
  const rows = batch.rows;
  const queries = batch.queryDomain.length;
  const positions = new Int32Array(batch.queryPosition.length * queries);
  batch.queryPosition.forEach((p, v) => positions.set(p, v * queries));
  return [
    { name: 'positions', data: positions, dims: [batch.queryPosition.length, queries] },
    { name: 'query_domain', data: batch.queryDomain, dims: [queries] },
    ...batch.views.flatMap((view, v) => [
      { name: `items_${v}`, data: view.length ? view.items : new Int32Array(rows), dims: [rows, Math.max(1, view.length)] },
      { name: `mask_${v}`, data: view.length ? view.mask : new Float32Array(rows), dims: [rows, Math.max(1, view.length)] },
    ]),
  ];
}

export class OnnxServing {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    private readonly catalog: ServingCatalog,
    private readonly maxLength: number,
  ) {}

  static async load(path: string, catalog: ServingCatalog, maxLength: number): Promise<OnnxServing> {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    return new OnnxServing(ort, session, catalog, maxLength);
  }

  /** Top-k of the graph's domain for each history, best first (k is fixed at export). */
  async recommend(histories: readonly Int32Array[], domain: number): Promise<Recommendation[][]> {
    const feeds = Object.fromEntries(
      servingInputs(histories, domain, this.catalog, this.maxLength).map((x) => [x.name, new this.ort.Tensor(x.data instanceof Int32Array ? 'int32' : 'float32', x.data, x.dims)]),
    );
    const out = await this.session.run(feeds);
    const scores = out.scores!.data as Float32Array;
    const items = out.items!.data as BigInt64Array;
    const k = out.scores!.dims[1]!;
    return histories.map((_, n) => Array.from({ length: k }, (_, j) => ({ item: Number(items[n * k + j]), score: scores[n * k + j]! })));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

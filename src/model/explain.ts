/**
 * The three attention levels behind a recommendation, read from the same forward pass that
 * scored it: Level 1 modality weights of each history item (from the item tower run that
 * made the cached item vectors), Level 2 attention of the last query over history
 * positions, Level 3 domain attention over the views.
 */
import * as tf from '@tensorflow/tfjs';
import type { Catalog } from '../catalog/types.ts';
import type { Batch } from './batch.ts';
import type { ForwardOutput } from './model.ts';
import { takeRows } from './ops.ts';

export interface Explanation {
  /** Per history item (oldest first, the last maxLength): modality weights, e.g. {id: 0.3, text: 0.7}. */
  readonly modality: { readonly item: number; readonly weights: Record<string, number> }[];
  /** Weight of each history position in the mixed view's last query (or the own domain's view). */
  readonly positions: { readonly item: number; readonly weight: number }[];
  /** Domain attention: how much each view ("food", "kitchen", "mixed") fed this pick; empty when off. */
  readonly views: Record<string, number>;
}

/** What one request is explained against. */
export interface ExplainTarget {
  /** The history as the model sees it: its last maxLength items. */
  readonly cut: Int32Array;
  readonly domain: number;
  /** The view whose attention is reported: mixed, or the own domain's in single-domain mode. */
  readonly view: number;
}

/**
 * One request's explanation as tensors; an empty tensor stands for "not available" (a type
 * alias, not an interface, so that tf.tidy accepts it as a TensorContainer).
 */
export type ExplanationTensors = {
  readonly alpha: tf.Tensor; // [n, 1 + modalities] or [0]
  readonly beta: tf.Tensor; // [V] or [0]
  readonly attention: tf.Tensor; // [t] or [0]
};

/**
 * Picks query `row` (recommendation batches have one query per row) out of a forward pass.
 * `alphaTable` is the item tower's [size + 1, 1 + modalities] weights, null when ID-only.
 * Call inside tf.tidy.
 */
export function explanationTensors(
  out: ForwardOutput,
  batch: Batch,
  row: number,
  target: ExplainTarget,
  alphaTable: tf.Tensor2D | null,
): ExplanationTensors {
  const none = (): tf.Tensor => tf.zeros([0]);
  const { cut, view } = target;
  const alpha = alphaTable && cut.length > 0 ? takeRows(alphaTable, tf.tensor1d(cut, 'int32')) : none(); // [n, P]
  const beta = out.beta ? tf.reshape(tf.slice(out.beta, [row, 0], [1, -1]), [-1]) : none(); // [V]
  const att = out.attention[view]; // [B, T, T], or [B, 1, T] for the queries only
  // Views are left-aligned: the query sits at flat position row * T + (t - 1) of its view.
  const position = batch.queryPosition[view]?.[row] ?? -1;
  const t = position - row * (batch.views[view]?.length ?? 0) + 1;
  const queryRow = out.attentionRows === 'query' ? 0 : t - 1;
  const attention = att && position >= 0 ? tf.reshape(tf.slice(att, [row, queryRow, 0], [1, 1, t]), [t]) : none(); // [t]
  return { alpha, beta, attention };
}

async function read(t: tf.Tensor): Promise<Float32Array | undefined> {
  return t.size > 0 ? ((await t.data()) as Float32Array) : undefined;
}

/** One request's explanation as plain numbers; undefined stands for "not available". */
export interface ExplanationArrays {
  readonly alpha: Float32Array | undefined; // [n, 1 + modalities]
  readonly attention: Float32Array | undefined; // [t]
  readonly beta: Float32Array | undefined; // [V]
}

/** Reads one request's explanation tensors (await data() only: webgpu-safe) into plain numbers. */
export async function readExplanation(
  catalog: Catalog,
  modalities: readonly string[],
  target: ExplainTarget,
  tensors: ExplanationTensors,
): Promise<Explanation> {
  const [alpha, attention, beta] = await Promise.all([read(tensors.alpha), read(tensors.attention), read(tensors.beta)]);
  return explanationOf(catalog, modalities, target, { alpha, attention, beta });
}

/** The Explanation of one request from its weights, labelled with items and view names. */
export function explanationOf(catalog: Catalog, modalities: readonly string[], target: ExplainTarget, arrays: ExplanationArrays): Explanation {
  const { alpha: a, attention: w, beta: b } = arrays;
  const { cut, domain, view } = target;
  const names = ['id', ...modalities];
  const modality = Array.from(cut, (item, i) => ({
    item,
    weights: Object.fromEntries(names.map((n, j) => [n, a ? (a[i * names.length + j] as number) : j === 0 ? 1 : 0])),
  }));
  const mixed = catalog.domains.length;
  const viewItems = view === mixed ? Array.from(cut) : Array.from(cut).filter((i) => catalog.domainOf[i] === domain);
  const positions = viewItems.map((item, i) => ({ item, weight: (w?.[i] as number | undefined) ?? 0 }));
  const label = (v: number): string => (v === mixed ? 'mixed' : catalog.domains[v]!);
  const views = b ? Object.fromEntries(Array.from(b, (x, v) => [label(v), x])) : {};
  return { modality, positions, views };
}

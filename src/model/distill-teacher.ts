/**
 * The co-occurrence teacher of distillation (TrainOptions.distill): for each training query
 * of a batch, the items the last-item co-occurrence baseline (src/eval/baselines/cooccurrence.ts,
 * its chosen settings) would recommend in the target's domain, and their normalized scores.
 * On a sparse log the model sees each transition about once; the teacher hands it the
 * transitions other shoppers made from the same recent items, which is what lets
 * co-occurrence beat it there. Plain JS, no tensors; built from TRAIN sequences only.
 *
 * Leave-one-sequence-out: a query's scores leave out the transitions of its own sequence,
 * so the teacher never points at the very label (or the later items) it is asked about:
 * like the baseline at evaluation, it knows only what other shoppers did.
 */
import type { Sequence } from '../catalog/types.ts';
import { countTransitions, DEFAULT_COOCCURRENCE, type CooccurrenceParams, type TransitionTable } from '../eval/baselines/cooccurrence.ts';
import type { DistillTargets } from './loss.ts';
import { ModelError } from './errors.ts';

/** Soft targets for one batch, one entry per (query, teacher item); weights sum to 1 per query. */
export interface TeacherTargets {
  /** Queries enumerated (with or without targets). */
  readonly queries: number;
  /** Query index, in the order buildBatch numbers a batch's queries. */
  readonly query: Int32Array;
  /** Catalog index of the teacher's item (in the query's target domain). */
  readonly item: Int32Array;
  readonly weight: Float32Array;
}

export interface TeacherQueryOptions {
  readonly domainOf: Int32Array;
  readonly domains: number;
  readonly maxLength: number;
  /** As BatchOptions.requireOwnView: queries whose own-domain view is empty are not queries. */
  readonly requireOwnView?: boolean;
}

/**
 * Items kept per query. A sharper teacher taught more on the 10x sparser store (valid sampled
 * NDCG@10 at distill 1, docs/experiments.md, "Distillation from co-occurrence"): top 1 0.0507, top 3 0.0519, top 10 0.0509, top 50 0.0484.
 */
export const TEACHER_TOP = 3;

export class DistillTeacher {
  private readonly table: TransitionTable;
  /** Score accumulator over catalog indices, reset after each query (only touched slots). */
  private readonly scores: Float64Array;

  constructor(train: readonly Sequence[], size: number, private readonly params: CooccurrenceParams = DEFAULT_COOCCURRENCE, private readonly top = TEACHER_TOP) {
    this.table = countTransitions(size, train, params);
    this.scores = new Float64Array(size + 1);
  }

  /**
   * Targets for training histories (full train sequences, as batches get them), with the
   * queries enumerated exactly as buildBatch does (last maxLength + 1 items, every position
   * with a next item, the own-view rule).
   */
  targets(histories: readonly Int32Array[], options: TeacherQueryOptions): TeacherTargets {
    const out = { query: [] as number[], item: [] as number[], weight: [] as number[] };
    let q = 0;
    for (const h of histories) {
      const own = ownTransitions(h, this.params);
      const offset = Math.max(0, h.length - options.maxLength - 1);
      const filled = new Int32Array(options.domains);
      for (let p = offset; p < h.length - 1; p++) {
        filled[options.domainOf[h[p]!]!]! += 1;
        const domain = options.domainOf[h[p + 1]!]!;
        if (options.requireOwnView && filled[domain] === 0) continue;
        this.queryTargets(h, p, domain, own, options.domainOf, q, out);
        q++;
      }
    }
    return { queries: q, query: Int32Array.from(out.query), item: Int32Array.from(out.item), weight: Float32Array.from(out.weight) };
  }

  /** The baseline's scores after h[0..p] (leaving out `own`), top items of `domain`, normalized. */
  private queryTargets(h: Int32Array, p: number, domain: number, own: Map<number, Map<number, number>>, domainOf: Int32Array, q: number, out: { query: number[]; item: number[]; weight: number[] }): void {
    const touched: number[] = [];
    const { offsets, targets, weights } = this.table;
    const first = Math.max(0, p + 1 - this.params.lastN);
    for (let at = p, k = 0; at >= first; at--, k++) {
      const src = h[at]!;
      const vote = this.params.recencyDecay ** k;
      const mine = own.get(src);
      for (let e = offsets[src]!; e < offsets[src + 1]!; e++) {
        const dst = targets[e]!;
        if (domainOf[dst] !== domain) continue;
        const w = weights[e]! - (mine?.get(dst) ?? 0);
        if (w <= 0) continue;
        if (this.scores[dst] === 0) touched.push(dst);
        this.scores[dst]! += vote * w;
      }
    }
    const best = touched.sort((a, b) => this.scores[b]! - this.scores[a]! || a - b).slice(0, this.top);
    const total = best.reduce((s, i) => s + this.scores[i]!, 0);
    for (const i of best) (out.query.push(q), out.item.push(i), out.weight.push(this.scores[i]! / total));
    for (const i of touched) this.scores[i] = 0;
  }
}

/** This sequence's own share of the transition counts (as countTransitions counts them). */
export function ownTransitions(items: Int32Array, params: CooccurrenceParams): Map<number, Map<number, number>> {
  const rows = new Map<number, Map<number, number>>();
  for (let i = 0; i < items.length; i++) {
    for (let g = 1; g <= params.window && i + g < items.length; g++) {
      let row = rows.get(items[i]!);
      if (!row) rows.set(items[i]!, (row = new Map()));
      row.set(items[i + g]!, (row.get(items[i + g]!) ?? 0) + params.gapDecay ** (g - 1));
    }
  }
  return rows;
}

const cache = new WeakMap<readonly Sequence[], DistillTeacher>();

/** One teacher per training set (the settings search trains many slices on the same one). */
export function teacherFor(train: readonly Sequence[], size: number): DistillTeacher {
  let teacher = cache.get(train);
  if (!teacher) cache.set(train, (teacher = new DistillTeacher(train, size)));
  return teacher;
}

/** Each domain's negatives plus the teacher's items of that domain (they must be candidates). */
export function withTeacherItems(negatives: readonly Int32Array[], targets: TeacherTargets, domainOf: Int32Array): Int32Array[] {
  const extra: number[][] = negatives.map(() => []);
  const seen = new Set<number>();
  for (const item of targets.item) {
    if (seen.has(item)) continue;
    seen.add(item);
    extra[domainOf[item]!]?.push(item);
  }
  return negatives.map((n, t) => {
    const out = new Int32Array(n.length + extra[t]!.length);
    out.set(n);
    out.set(extra[t]!, n.length);
    return out;
  });
}

/** The targets in a batch's local item numbers (Batch.items), weights times `strength`. */
export function localTargets(items: Int32Array, queryTarget: Int32Array, targets: TeacherTargets, strength: number): DistillTargets {
  const local = new Map<number, number>();
  items.forEach((item, i) => local.set(item, i));
  const at = (item: number): number => {
    const l = local.get(item);
    if (l === undefined) throw new ModelError(`internal: teacher item ${item} is not in the batch (the batch must be built with the teacher's items as extra items)`);
    return l;
  };
  return {
    query: targets.query,
    column: Int32Array.from(targets.item, at),
    label: Int32Array.from(targets.query, (q) => at(queryTarget[q]!)),
    weight: Float32Array.from(targets.weight, (w) => w * strength),
  };
}

/**
 * Turns histories into the index arrays one forward pass needs (plain JS, no tensors).
 * Each history is cut into its views: one per domain (that domain's items only) and the
 * mixed one (all items). A query is a history position whose next item is predicted; for
 * each view it points at that view's last item at or before the position (or nothing).
 */
export interface ViewBatch {
  /** Longest view in the batch; 0 means nobody has an item in this view. */
  readonly length: number;
  /** [B * length] local item numbers (see Batch.items), 0 = padding. */
  readonly items: Int32Array;
  /** [B * length] 1 for a real item. */
  readonly mask: Float32Array;
}

export interface Batch {
  readonly rows: number;
  /** Distinct catalog indices the batch touches; items[0] = 0 (padding). */
  readonly items: Int32Array;
  /** One entry per view (domains 0..K-1, then mixed). */
  readonly views: readonly ViewBatch[];
  /** Queries: [N] target domain, and per view [N] flat position in that view (-1: empty). */
  readonly queryDomain: Int32Array;
  readonly queryPosition: readonly Int32Array[];
  /** [N] catalog index of the next item (training) or 0 (recommendation). */
  readonly queryTarget: Int32Array;
}

export interface BatchSource {
  /** Oldest first, catalog indices, no padding. */
  readonly history: Int32Array;
  /** Recommendation: one query at the last position for this domain. Training: undefined. */
  readonly domain?: number;
}

export interface BatchOptions {
  readonly domainOf: Int32Array;
  readonly domains: number;
  readonly maxLength: number;
  /** Drop queries whose own-domain view is empty (single-domain training). */
  readonly requireOwnView?: boolean;
  /** Extra catalog indices to include in `items` (sampled negatives). */
  readonly extraItems?: Int32Array;
  /** Use catalog indices directly (items = identity over 0..size); skips the local map. */
  readonly identityItems?: number;
}

/** Builds a batch; with `domain` unset, every position with a next item is a query. */
export function buildBatch(sources: readonly BatchSource[], options: BatchOptions): Batch {
  const k = options.domains;
  const local = new Map<number, number>([[0, 0]]);
  const order: number[] = [0];
  const localOf = (item: number): number => {
    if (options.identityItems !== undefined) return item;
    let l = local.get(item);
    if (l === undefined) {
      l = order.length;
      local.set(item, l);
      order.push(item);
    }
    return l;
  };
  const inputs = sources.map((s) => cut(s, options.maxLength));
  const lengths = Array.from({ length: k + 1 }, (_, v) =>
    inputs.reduce((m, c) => Math.max(m, v === k ? c.input.length : countDomain(c.input, v, options.domainOf)), 0),
  );
  const views = lengths.map((len) => ({ length: len, items: new Int32Array(sources.length * len), mask: new Float32Array(sources.length * len) }));
  const qDomain: number[] = [];
  const qTarget: number[] = [];
  const qPos: number[][] = Array.from({ length: k + 1 }, () => []);
  inputs.forEach(({ input: inp, next }, b) => {
    const source = sources[b] as BatchSource;
    const filled = new Array<number>(k + 1).fill(0);
    for (let p = 0; p < inp.length; p++) {
      const item = inp[p] as number;
      const d = options.domainOf[item] as number;
      for (const v of [d, k]) {
        const view = views[v] as ViewBatch & { items: Int32Array; mask: Float32Array };
        const at = b * view.length + (filled[v] as number);
        view.items[at] = localOf(item);
        view.mask[at] = 1;
        filled[v] = (filled[v] as number) + 1;
      }
      if (source.domain !== undefined && p !== inp.length - 1) continue;
      const target = source.domain === undefined ? (next[p] as number) : 0;
      const domain = source.domain ?? (options.domainOf[target] as number);
      if (options.requireOwnView && filled[domain] === 0) continue;
      qDomain.push(domain);
      qTarget.push(target);
      for (let v = 0; v <= k; v++) {
        const n = filled[v] as number;
        qPos[v]!.push(n === 0 ? -1 : b * (views[v] as ViewBatch).length + n - 1);
      }
    }
    if (source.domain !== undefined && inp.length === 0) {
      // An empty history still gets its query: every view is empty and masked.
      qDomain.push(source.domain);
      qTarget.push(0);
      for (let v = 0; v <= k; v++) qPos[v]!.push(-1);
    }
  });
  if (options.identityItems === undefined) {
    for (const t of qTarget) if (t > 0) localOf(t);
    for (const e of options.extraItems ?? []) localOf(e);
  }
  return {
    rows: sources.length,
    items: options.identityItems === undefined ? Int32Array.from(order) : new Int32Array(0),
    views,
    queryDomain: Int32Array.from(qDomain),
    queryPosition: qPos.map((q) => Int32Array.from(q)),
    queryTarget: Int32Array.from(qTarget),
  };
}

/**
 * Recommendation: the last maxLength items. Training: the last maxLength + 1 items, the
 * input being all but the last and `next` the shifted targets.
 */
function cut(source: BatchSource, maxLength: number): { input: Int32Array; next: Int32Array } {
  const h = source.history;
  if (source.domain !== undefined) return { input: h.subarray(Math.max(0, h.length - maxLength)), next: new Int32Array(0) };
  const s = h.subarray(Math.max(0, h.length - maxLength - 1));
  return { input: s.subarray(0, Math.max(0, s.length - 1)), next: s.subarray(1) };
}

function countDomain(items: Int32Array, domain: number, domainOf: Int32Array): number {
  let n = 0;
  for (let i = 0; i < items.length; i++) if (domainOf[items[i] as number] === domain) n++;
  return n;
}

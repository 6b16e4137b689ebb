/**
 * Every kept interaction of a log as three growable typed columns (shopper number, item
 * index, ts): 16 bytes an event and one map entry a shopper, never the log's text, so a
 * log of millions of events fits in tens of MB. `sequences()` orders each shopper's events.
 */
export interface ShopperSequence {
  readonly shopper: string;
  /** Internal item indices (1-based), oldest first. */
  readonly items: Int32Array;
}

export interface SequenceCounts {
  /** Same shopper, same item, same ts: dropped (a log written twice, a double click). */
  duplicates: number;
  /** The same item again right after itself (view, then cart, then purchase of one item): merged into one step. */
  repeatsMerged: number;
}

export class InteractionLog {
  private readonly shopperNumber = new Map<string, number>();
  private readonly shopperNames: string[] = [];
  private shopperCol = new Int32Array(1024);
  private itemCol = new Int32Array(1024);
  private tsCol = new Float64Array(1024);
  private length = 0;

  get events(): number {
    return this.length;
  }

  get shoppers(): number {
    return this.shopperNames.length;
  }

  add(shopper: string, item: number, ts: number): void {
    let s = this.shopperNumber.get(shopper);
    if (s === undefined) {
      s = this.shopperNames.length;
      this.shopperNumber.set(shopper, s);
      this.shopperNames.push(shopper);
    }
    if (this.length === this.itemCol.length) this.grow();
    this.shopperCol[this.length] = s;
    this.itemCol[this.length] = item;
    this.tsCol[this.length] = ts;
    this.length++;
  }

  private grow(): void {
    const size = this.itemCol.length * 2;
    const copy = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.shopperCol = copy(this.shopperCol, new Int32Array(size));
    this.itemCol = copy(this.itemCol, new Int32Array(size));
    this.tsCol = copy(this.tsCol, new Float64Array(size));
  }

  /**
   * Each shopper's items in time order (ties keep log order), shoppers in first-seen order,
   * with exact duplicates dropped and immediate repeats merged (counted in `counts`).
   */
  *sequences(counts: SequenceCounts): Generator<ShopperSequence> {
    const order = this.byShopper();
    const starts = this.shopperStarts();
    for (let s = 0; s < this.shoppers; s++) {
      const events = order.subarray(starts[s]!, starts[s + 1]!);
      events.sort((a, b) => this.tsCol[a]! - this.tsCol[b]! || a - b);
      yield { shopper: this.shopperNames[s]!, items: this.dedupe(events, counts) };
    }
  }

  /** [shoppers + 1] offset of each shopper's events in byShopper()'s order. */
  private shopperStarts(): Int32Array {
    const starts = new Int32Array(this.shoppers + 1);
    for (let e = 0; e < this.length; e++) starts[this.shopperCol[e]! + 1]!++;
    for (let s = 0; s < this.shoppers; s++) starts[s + 1]! += starts[s]!;
    return starts;
  }

  /** Event numbers grouped by shopper (a counting sort: stable, linear). */
  private byShopper(): Int32Array {
    const next = this.shopperStarts().slice(0, this.shoppers);
    const order = new Int32Array(this.length);
    for (let e = 0; e < this.length; e++) order[next[this.shopperCol[e]!]!++] = e;
    return order;
  }

  private dedupe(events: Int32Array, counts: SequenceCounts): Int32Array {
    const items: number[] = [];
    let lastItem = -1;
    let lastTs = NaN;
    const seenAtTs = new Set<number>();
    for (const e of events) {
      const item = this.itemCol[e]!;
      const ts = this.tsCol[e]!;
      if (ts !== lastTs) seenAtTs.clear();
      lastTs = ts;
      if (seenAtTs.has(item)) {
        counts.duplicates++;
        continue;
      }
      seenAtTs.add(item);
      if (item === lastItem) {
        counts.repeatsMerged++;
        continue;
      }
      items.push(item);
      lastItem = item;
    }
    return Int32Array.from(items);
  }
}

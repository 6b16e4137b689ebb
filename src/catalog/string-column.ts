/**
 * One text field of every catalog item, stored as a few long strings instead of one string
 * per item: items are cut into chunks of CHUNK, each chunk's values joined into one string,
 * and a Uint32Array records where each value ends in its chunk. A million short ids take
 * ~14 MB of characters plus 4 MB of ends instead of ~45 MB of string objects and pointers.
 * Chunks (rather than one string) keep each string far below the engine's length limit and
 * confine the two-byte cost of a non-Latin-1 character to its own chunk. An empty value
 * reads back as absent: catalogs store no empty text.
 */
const CHUNK = 4096;

export interface StringColumn {
  /** Value at position p (0-based), or undefined when absent. */
  get(p: number): string | undefined;
  /** Whether position p holds exactly `value` (no substring made). */
  equals(p: number, value: string): boolean;
}

const ABSENT: StringColumn = { get: () => undefined, equals: (_, value) => value === '' };

/** Finished chunks: value p is chunks[p / CHUNK] from ends[p - 1] (0 at a chunk's start) to ends[p]. */
class ChunkedStrings implements StringColumn {
  constructor(
    protected readonly chunks: string[],
    protected ends: Uint32Array | undefined,
    protected count: number,
  ) {}

  get(p: number): string | undefined {
    const start = this.start(p);
    if (start < 0 || start === this.ends![p]) return undefined;
    return this.chunks[Math.floor(p / CHUNK)]!.slice(start, this.ends![p]);
  }

  equals(p: number, value: string): boolean {
    const start = this.start(p);
    return start >= 0 && this.ends![p]! - start === value.length && this.chunks[Math.floor(p / CHUNK)]!.startsWith(value, start);
  }

  /** Where value p starts in its chunk; -1 when p is out of range or the column has no values. */
  private start(p: number): number {
    if (!this.ends || !(Number.isInteger(p) && p >= 0 && p < this.count)) return -1;
    return p % CHUNK === 0 ? 0 : this.ends[p - 1]!;
  }
}

/** Appends the values of positions 0, 1, 2, ... in order; `finish` returns the column. */
export class StringColumnBuilder extends ChunkedStrings {
  /** Values of the chunk being filled, one per position ('' when absent). */
  private pending: string[] = [];
  private offset = 0;

  constructor(private readonly capacity: number) {
    super([], undefined, 0);
  }

  add(value: string | undefined): void {
    if (this.count >= this.capacity) throw new RangeError(`StringColumnBuilder: more than ${this.capacity} values`);
    if (value) {
      // Allocated at the first value: a field no item has costs nothing.
      this.ends ??= new Uint32Array(this.capacity);
      this.offset += value.length;
    }
    this.pending.push(value ?? '');
    if (this.ends) this.ends[this.count] = this.offset;
    this.count++;
    if (this.count % CHUNK === 0) this.flush();
  }

  override get(p: number): string | undefined {
    return this.isPending(p) ? this.pending[p % CHUNK] || undefined : super.get(p);
  }

  override equals(p: number, value: string): boolean {
    return this.isPending(p) ? this.pending[p % CHUNK] === value : super.equals(p, value);
  }

  /** The finished column; the builder must not be used after. */
  finish(): StringColumn {
    this.flush();
    if (!this.ends) return ABSENT;
    return new ChunkedStrings(this.chunks, this.count === this.ends.length ? this.ends : this.ends.slice(0, this.count), this.count);
  }

  private isPending(p: number): boolean {
    return p >= this.count - this.pending.length && p < this.count;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(this.pending.join(''));
    this.pending = [];
    this.offset = 0;
  }
}

import type { StringColumn } from './string-column.ts';

/**
 * The id -> internal index lookup of a catalog, as one open-addressing hash table (linear
 * probing) of internal indices over the catalog's id column: 8 MB for a million items, where
 * a Map of a million string keys holds ~50 MB and its own reference to every id.
 */
export class IdIndex {
  /** Internal index (1-based) per slot; 0 = empty. Power-of-two length, at most ~2/3 full. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `ids.get(p)` is the id of internal index p + 1; at most `capacity` ids are added. */
  constructor(
    private readonly ids: StringColumn,
    capacity: number,
  ) {
    let length = 16;
    while (length < capacity * 1.5) length *= 2;
    this.slots = new Int32Array(length);
    this.mask = length - 1;
  }

  /** The internal index of `id`, or undefined. */
  find(id: string): number | undefined {
    for (let s = hash(id) & this.mask; ; s = (s + 1) & this.mask) {
      const index = this.slots[s]!;
      if (index === 0) return undefined;
      if (this.ids.equals(index - 1, id)) return index;
    }
  }

  /** Records `index` for `id` (already in the id column); returns the earlier index of the same id instead, if any. */
  add(id: string, index: number): number | undefined {
    for (let s = hash(id) & this.mask; ; s = (s + 1) & this.mask) {
      const found = this.slots[s]!;
      if (found === 0) {
        this.slots[s] = index;
        return undefined;
      }
      if (this.ids.equals(found - 1, id)) return found;
    }
  }
}

/** FNV-1a over the UTF-16 code units, with a final mix so that the low bits (the slot) vary. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

import type { Catalog, Item } from './types.ts';
import { DataFormatError, UnknownDomainError, UnknownItemError } from './errors.ts';
import { IdIndex } from './id-index.ts';
import { StringColumnBuilder, type StringColumn } from './string-column.ts';

const TEXT_FIELDS = ['title', 'description', 'image', 'url', 'sku'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/**
 * Builds a Catalog item by item into columns (catalog.ts's createCatalog and the storefront
 * JSON parser feed it), so that no object per item outlives the load: ids and text in string
 * columns, domains as numbers, prices in a Float64Array, the id lookup one hash table. Item
 * records are made on demand by item(). Errors about the catalog as a whole (a duplicate id,
 * an undeclared domain) are kept until finish(), so that a malformed entry later in the file
 * is reported first, as when every entry was checked before indexing.
 */
export class CatalogBuilder {
  private readonly domains: string[];
  private readonly domainNumber: Map<string, number>;
  private readonly ids: StringColumnBuilder;
  private readonly index: IdIndex;
  private readonly text: Record<TextField, StringColumnBuilder>;
  private price: Float64Array | undefined;
  private readonly domainOf: Int32Array;
  private size = 0;
  private failure: DataFormatError | undefined;

  /** `capacity`: the number of items that will be added; see createCatalog for `declared`. */
  constructor(
    private readonly name: string,
    private readonly capacity: number,
    private readonly source = name,
    private readonly declared?: readonly string[],
  ) {
    this.domains = [...(declared ?? [])];
    this.domainNumber = new Map(this.domains.map((d, k) => [d, k]));
    this.ids = new StringColumnBuilder(capacity);
    this.index = new IdIndex(this.ids, capacity);
    this.text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, new StringColumnBuilder(capacity)])) as Record<TextField, StringColumnBuilder>;
    this.domainOf = new Int32Array(capacity + 1);
    this.domainOf[0] = -1;
  }

  /** Appends the next item (internal index = items added so far + 1). */
  add(item: Item): void {
    if (this.failure) return;
    const p = this.size;
    const line = p + 1;
    this.ids.add(item.id);
    const first = this.index.add(item.id, p + 1);
    if (first !== undefined) return void (this.failure = new DataFormatError(this.source, line, `duplicate item id "${item.id}" (first seen as item ${first})`));
    const d = this.domainNumberOf(item.domain, line);
    if (d === undefined) return;
    this.domainOf[p + 1] = d;
    for (const field of TEXT_FIELDS) this.text[field].add(item[field]);
    if (item.price !== undefined) (this.price ??= new Float64Array(this.capacity).fill(NaN))[p] = item.price;
    this.size++;
  }

  finish(): Catalog {
    if (this.failure) throw this.failure;
    const counts = new Int32Array(this.domains.length);
    for (let i = 1; i <= this.size; i++) counts[this.domainOf[i]!]!++;
    const empty = counts.findIndex((n) => n === 0);
    if (empty >= 0) throw new DataFormatError(this.source, 0, `domain "${this.domains[empty]}" is declared but has no items`);
    const domainItems = Array.from(counts, (n) => new Int32Array(n));
    counts.fill(0);
    for (let i = 1; i <= this.size; i++) domainItems[this.domainOf[i]!]![counts[this.domainOf[i]!]!++] = i;
    const text = TEXT_FIELDS.map((f) => [f, this.text[f].finish()] as const);
    return columnCatalog({ name: this.name, domains: this.domains, domainNumber: this.domainNumber, ids: this.ids.finish(), index: this.index, text, price: this.price, domainOf: this.domainOf.subarray(0, this.size + 1), domainItems });
  }

  private domainNumberOf(domain: string, line: number): number | undefined {
    let d = this.domainNumber.get(domain);
    if (d === undefined && this.declared) {
      this.failure = new DataFormatError(this.source, line, `unknown domain "${domain}": valid domains are ${this.declared.join(', ')}`);
      return undefined;
    }
    if (d === undefined) {
      d = this.domains.length;
      this.domains.push(domain);
      this.domainNumber.set(domain, d);
    }
    return d;
  }
}

interface Columns {
  readonly name: string;
  readonly domains: readonly string[];
  readonly domainNumber: ReadonlyMap<string, number>;
  readonly ids: StringColumn;
  readonly index: IdIndex;
  readonly text: readonly (readonly [TextField, StringColumn])[];
  readonly price: Float64Array | undefined;
  readonly domainOf: Int32Array;
  readonly domainItems: readonly Int32Array[];
}

/** The record of internal index i (valid), with only the fields it has, in the JSON parser's order. */
function record({ ids, domains, domainOf, text, price }: Columns, i: number): Item {
  const item: { -readonly [K in keyof Item]: Item[K] } = { id: ids.get(i - 1)!, domain: domains[domainOf[i]!]! };
  for (const [field, column] of text) {
    const value = column.get(i - 1);
    if (value !== undefined) item[field] = value;
  }
  if (price && !Number.isNaN(price[i - 1])) item.price = price[i - 1]!;
  return item;
}

function columnCatalog(columns: Columns): Catalog {
  const { name, domains, domainNumber, ids, index, domainOf, domainItems } = columns;
  const size = domainOf.length - 1;
  const valid = (i: number) => Number.isInteger(i) && i >= 1 && i <= size;
  const item = (i: number): Item => {
    if (!valid(i)) throw new UnknownItemError(i, size);
    return record(columns, i);
  };
  return {
    name,
    domains,
    get items(): Item[] {
      return Array.from({ length: size }, (_, p) => item(p + 1));
    },
    size,
    domainOf,
    domainItems,
    indexOf(id: string): number {
      const found = index.find(id);
      if (found === undefined) throw new UnknownItemError(id, size);
      return found;
    },
    findIndex: (id: string) => index.find(id),
    id(i: number): string {
      if (!valid(i)) throw new UnknownItemError(i, size);
      return ids.get(i - 1)!;
    },
    item,
    domainIndex(domain: string): number {
      const d = domainNumber.get(domain);
      if (d === undefined) throw new UnknownDomainError(domain, domains);
      return d;
    },
  };
}

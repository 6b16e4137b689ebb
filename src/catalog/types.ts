/**
 * Catalog and history types shared by every layer. Internal item indices start at 1;
 * index 0 is padding everywhere (tensors, histories, tables).
 */

/** One catalog item as a storefront (or a dataset) describes it. */
export interface Item {
  /** The store's own id (for Food-Kitchen, the dataset's global id as a string). */
  readonly id: string;
  readonly domain: string;
  readonly title?: string;
  readonly description?: string;
  /** Absolute or relative image URL. */
  readonly image?: string;
  /** Product page URL. */
  readonly url?: string;
  readonly price?: number;
  /** A second external reference, e.g. an Amazon ASIN. */
  readonly sku?: string;
}

/** A validated, indexed catalog: any number of domains. */
export interface Catalog {
  readonly name: string;
  /** Domain names in first-seen order; a domain's number is its position here. */
  readonly domains: readonly string[];
  /**
   * Every item, item i + 1 at items[i]: made afresh at each read from the catalog's columns
   * (O(size)), for whole-catalog passes; per-item code reads id() and item().
   */
  readonly items: readonly Item[];
  /** Number of items; valid internal indices are 1..size. */
  readonly size: number;
  /** [size + 1] domain number of each internal index; -1 at padding index 0. */
  readonly domainOf: Int32Array;
  /** Internal indices of each domain, ascending. */
  readonly domainItems: readonly Int32Array[];
  /** Internal index of an external id; throws UnknownItemError. */
  indexOf(id: string): number;
  /** Internal index of an external id, or undefined. */
  findIndex(id: string): number | undefined;
  /** External id at an internal index (no item record made); throws UnknownItemError. */
  id(index: number): string;
  /** Item at an internal index, made on demand; throws UnknownItemError. */
  item(index: number): Item;
  /** Domain number of a domain name; throws UnknownDomainError. */
  domainIndex(domain: string): number;
}

/** One shopper's interactions, oldest first, as internal indices (no padding). */
export interface Sequence {
  readonly user: string;
  readonly items: Int32Array;
}

/** One evaluation line: history, held-out target and its materialized negatives. */
export interface EvalCase {
  readonly user: string;
  readonly history: Int32Array;
  readonly target: number;
  readonly domain: number;
  readonly negatives: Int32Array;
}

export const SPLITS = ['valid', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** A benchmark dataset: catalog, training sequences and the two evaluation splits. */
export interface Dataset {
  readonly name: string;
  readonly catalog: Catalog;
  readonly train: readonly Sequence[];
  readonly valid: readonly EvalCase[];
  readonly test: readonly EvalCase[];
}

/** A dataset without its test split: what training and selection on valid may read. */
export type TrainingData = Omit<Dataset, 'test'>;

/**
 * Test and benchmark helper: what a store might hand to `npm run prepare`, made from a
 * dataset's TRAIN sequences (never its valid or test targets) or from seeded synthetic
 * shoppers: a catalog JSON and an event log, with the variants stores really have (other
 * domain names, three domains, no titles in one domain, a sparser log).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Dataset } from '../../src/catalog/types.ts';
import { createRng } from '../../src/model/rng.ts';
import { UsageError } from '../args.ts';

export interface StoreItem {
  readonly id: string;
  readonly domain: string;
  readonly title?: string;
}

export interface StoreEvent {
  readonly shopper: string;
  readonly item: string;
  readonly type: string;
  readonly ts: number;
}

export interface StoreVariant {
  /** New name of each domain (by old name); a function may split one domain in two. */
  readonly domainOf?: (domain: string, index: number) => string;
  /** Items of these (new) domains lose their titles. */
  readonly untitled?: readonly string[];
  /** Keep every k-th shopper only (k = 10: a 10x sparser log). */
  readonly everyKthShopper?: number;
  /** Which of the k shoppers in each run of k is kept (0..k-1): another offset is another store of the same size. */
  readonly shopperOffset?: number;
  /** Catalog-only items (no title, no events) appended to a (new) domain: a larger catalog with a long tail nobody bought. */
  readonly extraItems?: { readonly domain: string; readonly count: number };
}

export const START_TS = Date.UTC(2024, 0, 1);

/** `--rename food=grocery` and `--split kitchen=home,cookware` as one mapping of (domain, item index) to a new domain. */
export function domainMapping(rename: string, split: string, domains: readonly string[]): (domain: string, index: number) => string {
  const names = new Map<string, string>();
  for (const pair of rename.split(',').filter(Boolean)) {
    const [from, to] = pair.split('=');
    if (!from || !to || !domains.includes(from)) throw new UsageError(`--rename "${pair}": want OLD=NEW with OLD one of ${domains.join(', ')}`);
    names.set(from, to);
  }
  const [splitDomain, parts = ''] = split ? split.split('=') : [];
  const targets = parts.split(',').filter(Boolean);
  if (split && (!splitDomain || !domains.includes(splitDomain) || targets.length < 2)) {
    throw new UsageError(`--split "${split}": want DOMAIN=A,B[,...] with DOMAIN one of ${domains.join(', ')} and two or more new names`);
  }
  return (domain, index) => (domain === splitDomain ? targets[index % targets.length]! : (names.get(domain) ?? domain));
}

/** A store made from a dataset's catalog and training sequences; ids become "P<dense id>". */
export function storeFromDataset(dataset: Dataset, variant: StoreVariant = {}): { catalog: StoreItem[]; events: StoreEvent[] } {
  const untitled = new Set(variant.untitled ?? []);
  const catalog = dataset.catalog.items.map((item, p) => {
    const domain = variant.domainOf ? variant.domainOf(item.domain, p + 1) : item.domain;
    return { id: `P${p}`, domain, ...(item.title && !untitled.has(domain) ? { title: item.title } : {}) };
  });
  const extra = variant.extraItems;
  if (extra) for (let n = 0; n < extra.count; n++) catalog.push({ id: `X${n}`, domain: extra.domain });
  const k = variant.everyKthShopper ?? 1;
  const offset = variant.shopperOffset ?? 0;
  const events: StoreEvent[] = [];
  dataset.train.forEach((s, u) => {
    if (u % k !== offset) return;
    s.items.forEach((i, t) => events.push({ shopper: s.user, item: `P${i - 1}`, type: 'purchase', ts: START_TS + u * 1000 + t * 60_000 }));
  });
  return { catalog, events };
}

export interface SyntheticOptions {
  readonly domains: readonly string[];
  readonly itemsPerDomain: number;
  readonly shoppers: number;
  /** Events per shopper. */
  readonly length: number;
  readonly seed?: number;
}

/** Seeded synthetic shoppers who mostly move to a nearby item of the same domain (a learnable signal). */
export function syntheticStore(options: SyntheticOptions): { catalog: StoreItem[]; events: StoreEvent[] } {
  return { catalog: syntheticCatalog(options), events: [...syntheticEvents(options)] };
}

export function syntheticCatalog(options: SyntheticOptions): StoreItem[] {
  const n = options.itemsPerDomain;
  return options.domains.flatMap((domain) => Array.from({ length: n }, (_, i) => ({ id: `${domain}-${i}`, domain, title: `${domain} item ${i} shade ${i % 5}` })));
}

/** The events one at a time, so that a benchmark log of millions never sits in memory. */
export function* syntheticEvents(options: SyntheticOptions): Generator<StoreEvent> {
  const rng = createRng(options.seed ?? 7);
  const n = options.itemsPerDomain;
  for (let s = 0; s < options.shoppers; s++) {
    let d = rng.int(options.domains.length);
    let i = rng.int(n);
    for (let t = 0; t < options.length; t++) {
      yield { shopper: `u${s}`, item: `${options.domains[d]}-${i}`, type: t % 3 === 2 ? 'purchase' : 'view', ts: START_TS + s * 1e6 + t * 1000 };
      if (rng.next() < 0.2) d = rng.int(options.domains.length);
      i = (i + 1 + rng.int(3)) % n;
    }
  }
}

/** Writes events as JSON lines, streamed (a benchmark log may hold millions). */
export async function writeJsonl(path: string, events: Iterable<StoreEvent>): Promise<void> {
  const out = createWriteStream(path);
  for (const e of events) if (!out.write(`${JSON.stringify(e)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** CSV with the header shopper,item,type,ts; ts as ISO 8601. */
/** One CSV field (RFC 4180): quoted, inner quotes doubled, when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(events: readonly StoreEvent[]): string {
  const row = (e: StoreEvent): string => [e.shopper, e.item, e.type, new Date(e.ts).toISOString()].map(csvField).join(',');
  return `shopper,item,type,ts\n${events.map(row).join('\n')}\n`;
}

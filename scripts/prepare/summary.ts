/** What `npm run prepare` kept and dropped, with counts: nothing is dropped without a line here. */
export interface PrepareSummary {
  readonly inputs: { readonly catalog: string; readonly events: readonly string[] };
  readonly rows: {
    /** Event rows read (blank lines excluded). */
    read: number;
    blankLines: number;
    /** Rows that could not be parsed, skipped under --skip-bad (otherwise the first one stops the run). */
    badRows: number;
    badExamples: string[];
    /** Rows whose item is not in the catalog. */
    unknownItems: number;
    unknownItemIds: number;
    unknownExamples: string[];
    /** Rows of a type not listed in --types. */
    otherTypes: number;
    /** Rows whose domain differs from the catalog's for that item (kept; the catalog's domain wins). */
    domainMismatches: number;
    /** Same shopper, item and ts as an earlier row. */
    duplicates: number;
    /** The same item again right after itself, merged into one step. */
    repeatsMerged: number;
  };
  readonly shoppers: {
    seen: number;
    /** Shoppers with fewer than --min-length interactions after deduplication, and their interactions. */
    tooShort: number;
    tooShortInteractions: number;
    kept: number;
  };
  readonly interactions: { train: number; valid: number; test: number };
  readonly items: { catalog: number; perDomain: Record<string, number>; withTitle: Record<string, number>; neverInTrain: number };
  readonly negatives: { requested: number; perDomain: Record<string, number>; seed: number };
  /** Reading and parsing the events, then everything (sort, split, negatives, writing). */
  readSeconds: number;
  seconds: number;
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The human summary the CLI prints. */
export function formatSummary(s: PrepareSummary): string {
  const r = s.rows;
  const domains = Object.keys(s.items.perDomain);
  const lines = [
    `read ${n(r.read)} event rows from ${s.inputs.events.join(', ')} in ${s.readSeconds.toFixed(1)} s (${n(Math.round(r.read / Math.max(s.readSeconds, 1e-9)))} rows/s); ${s.seconds.toFixed(1)} s in all with the split, negatives and files`,
    `dropped: ${n(r.badRows)} bad rows, ${n(r.unknownItems)} rows of ${n(r.unknownItemIds)} unknown item ids${r.unknownExamples.length ? ` (e.g. ${r.unknownExamples.join(', ')})` : ''}, ${n(r.otherTypes)} rows of other types, ${n(r.duplicates)} duplicates (same shopper, item, ts); ${n(r.blankLines)} blank lines skipped`,
    `merged: ${n(r.repeatsMerged)} immediate repeats of the same item; kept ${n(r.domainMismatches)} rows whose domain differed from the catalog's (the catalog's wins)`,
    `shoppers: ${n(s.shoppers.seen)} seen, ${n(s.shoppers.tooShort)} too short dropped (${n(s.shoppers.tooShortInteractions)} interactions), ${n(s.shoppers.kept)} kept`,
    `interactions: train ${n(s.interactions.train)}, valid ${n(s.interactions.valid)}, test ${n(s.interactions.test)}`,
    `items: ${n(s.items.catalog)} (${domains.map((d) => `${d} ${n(s.items.perDomain[d]!)}, ${n(s.items.withTitle[d]!)} with a title`).join('; ')}); ${n(s.items.neverInTrain)} never in train`,
    `negatives per case: ${domains.map((d) => `${d} ${s.negatives.perDomain[d]}`).join(', ')} (seed ${s.negatives.seed})`,
  ];
  if (r.badExamples.length > 0) lines.push(`bad rows, first ones: ${r.badExamples.join('; ')}`);
  return lines.join('\n');
}

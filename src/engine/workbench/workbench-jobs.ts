import type { EvalCase } from '../../catalog/types.ts';
import { evaluate, ranksFromDomainScores } from '../../eval/evaluate.ts';
import { formatReport } from '../../eval/report-table.ts';
import type { Recommender } from '../../eval/recommender.ts';
import type {
  CatalogSnapshot,
  WorkbenchResults,
  ShopperCase,
} from './workbench-protocol.ts';
import { yieldingRecommender, type WorkbenchModel } from './workbench-models.ts';
import type { HistoryEvent } from '../../store/event.ts';
import { historyFromEvents } from '../recommend-service.ts';
import { CancelledError, HafrecWorkerError } from '../errors.ts';
import type { ProgressSink, Split, WorkbenchData } from './workbench-data.ts';

export function snapshotCatalog(data: WorkbenchData): CatalogSnapshot {
  const { catalog } = data.dataset;
  // Read once: each read of catalog.items makes every item record afresh.
  const items = catalog.items;
  const images: Record<number, string> = {};
  items.forEach((item, p) => {
    if (item.image) images[p] = item.image;
  });
  return {
    name: catalog.name,
    domains: catalog.domains,
    ids: items.map((item) => item.id),
    titles: items.map((item) => decodeEntities(item.title ?? '')),
    images,
    domainOf: Int8Array.from(catalog.domainOf.subarray(1)),
    popularity: Float32Array.from(data.popularity.subarray(1)),
    testUsers: data.dataset.test.map((c) => c.user),
  };
}

const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/** Amazon titles carry HTML entities ("Coffee &amp; Tea"): decode them to plain text for display. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] !== '#') return NAMED[code.toLowerCase()] ?? whole;
    const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1));
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
  });
}

export function findCase(data: WorkbenchData, split: Split, user: string): EvalCase {
  const c = data.cases[split].get(user);
  if (!c) throw new HafrecWorkerError(`no shopper "${user}" in the ${split} split (${data.cases[split].size} shoppers); pick one the demo lists`);
  return c;
}

export function shopperCase(data: WorkbenchData, split: Split, user: string): ShopperCase {
  const { catalog } = data.dataset;
  const c = findCase(data, split, user);
  return {
    split,
    user,
    history: Array.from(c.history, (i) => catalog.id(i)),
    target: catalog.id(c.target),
    targetDomain: catalog.domains[c.domain]!,
  };
}

/** The protocol's two ranks of a shopper's held-out item given the stored history, read by the one history rule. */
export async function rankTarget(
  data: WorkbenchData,
  model: WorkbenchModel,
  split: Split,
  user: string,
  events: readonly HistoryEvent[],
): Promise<WorkbenchResults['rank']> {
  const { catalog } = data.dataset;
  const c = { ...findCase(data, split, user), history: historyFromEvents(catalog, events).items };
  const [scores] = await model.recommender.score([{ history: c.history, domain: c.domain }]);
  const ranks = ranksFromDomainScores(catalog, c, scores!);
  return { ...ranks, domainSize: catalog.domainItems[c.domain]!.length, target: catalog.id(c.target), historyLength: c.history.length };
}

/** The eval CLI's protocol, run by the very same `evaluate` on the first `limit` cases. */
export async function runEvaluation(
  data: WorkbenchData,
  recommender: Recommender,
  split: Split,
  full: boolean,
  limit: number | undefined,
  onProgress: ProgressSink,
  cancelled: () => boolean,
): Promise<WorkbenchResults['evaluate']> {
  const all = data.dataset[split];
  const cases = limit === undefined ? all : all.slice(0, limit);
  const start = performance.now();
  const report = await evaluate(yieldingRecommender(recommender), data.dataset.catalog, cases, {
    split,
    full,
    onProgress: ({ done, total }) => {
      if (cancelled()) throw new CancelledError();
      onProgress({ stage: `Evaluating ${recommender.name} on ${split}`, done, total });
    },
  });
  return { report, table: formatReport(report), ms: performance.now() - start };
}

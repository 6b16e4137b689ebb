import type { Catalog, Item } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import type { EventType, HistoryEvent } from '../store/event.ts';
import { historySequence } from '../store/history-sequence.ts';
import { canExplain, explainByRemoval, pickReason, type PickReason } from './explain.ts';

/** Why an item was recommended: the history item that contributed most recently. */
export interface RecommendationReason {
  readonly itemId: string;
  readonly title?: string;
  /** What the shopper did with it (view, purchase...). */
  readonly type: EventType;
  /** HAF's attention weight (0..1) on that history item, when the model reads attention. */
  readonly attention?: number;
  /** The domain whose history HAF's domain attention weighed most, and its weight (0..1). */
  readonly domain?: string;
  readonly domainWeight?: number;
}

/** One recommendation as pages and the widget see it: catalog fields with absolute URLs. */
export interface RecommendedItem {
  readonly id: string;
  readonly domain: string;
  readonly title?: string;
  readonly url?: string;
  readonly image?: string;
  readonly price?: number;
  readonly score: number;
  readonly reason?: RecommendationReason;
}

/** Internal-index history of the events the catalog knows, by the one history rule (src/store/history-sequence.ts). */
export function historyFromEvents(catalog: Catalog, events: readonly HistoryEvent[]): { items: Int32Array; types: EventType[] } {
  const { items, types } = historySequence(events, (id) => catalog.findIndex(id));
  return { items: Int32Array.from(items), types };
}

export interface RecommendInput {
  readonly catalog: Catalog;
  readonly recommender: Recommender;
  readonly events: readonly HistoryEvent[];
  readonly domain: string;
  readonly k: number;
  /** Base for relative item URLs and images (the catalog's URL). */
  readonly baseUrl: string;
}

/** The k best items of `domain` the shopper has not interacted with yet, with reasons. */
export async function recommendFromHistory(input: RecommendInput): Promise<RecommendedItem[]> {
  const { catalog, recommender, baseUrl } = input;
  const domain = catalog.domainIndex(input.domain);
  const { items: history, types } = historyFromEvents(catalog, input.events);
  const ranked = await recommender.recommend(history, domain, input.k, new Set(history));
  const chosen = Int32Array.from(ranked, (r) => r.item);
  const reasons = canExplain(recommender)
    ? await recommender.explain(history, domain, chosen)
    : await explainByRemoval(recommender, history, domain, chosen);
  return ranked.map((r, i) => {
    const why = pickReason(reasons[i]);
    return {
      ...present(catalog.item(r.item), baseUrl),
      score: r.score,
      ...(why ? { reason: reasonOf(catalog, history, types, why) } : {}),
    };
  });
}

function reasonOf(catalog: Catalog, history: Int32Array, types: readonly EventType[], why: PickReason): RecommendationReason {
  const source = catalog.item(history[why.position]!);
  return {
    itemId: source.id,
    type: types[why.position]!,
    ...(source.title ? { title: source.title } : {}),
    ...(why.attention === undefined ? {} : { attention: why.attention }),
    ...(why.domain === undefined ? {} : { domain: why.domain, ...(why.domainWeight === undefined ? {} : { domainWeight: why.domainWeight }) }),
  };
}

function present(item: Item, baseUrl: string): Omit<RecommendedItem, 'score'> {
  const url = safeUrl(item.url, baseUrl);
  const image = safeUrl(item.image, baseUrl);
  return {
    id: item.id,
    domain: item.domain,
    ...(item.title === undefined ? {} : { title: item.title }),
    ...(url ? { url } : {}),
    ...(image ? { image } : {}),
    ...(item.price === undefined ? {} : { price: item.price }),
  };
}

/** Absolute http(s) URL, or undefined: catalog text never becomes a javascript: link. */
export function safeUrl(value: string | undefined, baseUrl: string): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value, baseUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

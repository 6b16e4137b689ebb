import type { Catalog, Item } from '../catalog/types.ts';
import type { Recommender } from '../eval/recommender.ts';
import type { EventType, HistoryEvent } from '../store/event.ts';
import { historySequence } from '../store/history-sequence.ts';
import { canExplain, explainByRemoval, pickReason, type PickReason } from './explain.ts';
import { canGiveInsight, type DomainInsight } from './insight.ts';

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
  /** Also ask the model for its full account of the picks (insight.ts), when it can give one. */
  readonly insight?: boolean;
}

/** What one recommend request answers: the picks, and what served them. */
export interface Recommendations {
  readonly items: RecommendedItem[];
  /** The recommender's name (e.g. "haf+cooccurrence"). */
  readonly model: string;
  /** Where its arithmetic ran, when the engine knows (the demo's models: "js" or a TensorFlow.js backend). */
  readonly backend?: string;
  /** Items in the history the model read, by the one history rule. */
  readonly historyLength: number;
  /** Milliseconds in the engine: ranking, reasons and insight. */
  readonly ms: number;
  /** The model's full account of the picks (only when asked for and the model gives one). */
  readonly insight?: DomainInsight;
}

/** The k best items of `domain` the shopper has not interacted with yet, with reasons. */
export async function recommendFromHistory(input: RecommendInput): Promise<RecommendedItem[]> {
  return (await serveRecommendations(input)).items;
}

/**
 * The one recommend path of the engine, for a shop's tag and the demo alike: the history by the
 * one rule, the model's top k, each pick's reason (the model's own explain(), else leave-one-out)
 * and, when asked, the model's insight into the same picks.
 */
export async function serveRecommendations(input: RecommendInput): Promise<Recommendations> {
  const start = performance.now();
  const { catalog, recommender, baseUrl } = input;
  const domain = catalog.domainIndex(input.domain);
  const { items: history, types } = historyFromEvents(catalog, input.events);
  const ranked = await recommender.recommend(history, domain, input.k, new Set(history));
  const chosen = Int32Array.from(ranked, (r) => r.item);
  const reasons = canExplain(recommender)
    ? await recommender.explain(history, domain, chosen)
    : await explainByRemoval(recommender, history, domain, chosen);
  const insight = input.insight && canGiveInsight(recommender) ? await recommender.insight(history, domain, chosen) : undefined;
  const items = ranked.map((r, i) => {
    const why = pickReason(reasons[i]);
    return {
      ...present(catalog.item(r.item), baseUrl),
      score: r.score,
      ...(why ? { reason: reasonOf(catalog, history, types, why) } : {}),
    };
  });
  return { items, model: recommender.name, historyLength: history.length, ms: performance.now() - start, ...(insight ? { insight } : {}) };
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

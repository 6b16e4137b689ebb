/**
 * Node's side of the HAF shop's parity check: public/shop loaded through the storefront
 * worker's own loaders (src/bundle/bundle-load.ts, Node's wasm backend) and asked for the same
 * shopper's recommendations the tag computes, from the events the tag exported.
 */
import { loadBundle, type LoadedBundle } from '../src/bundle/bundle-load.ts';
import type { HistoryEvent } from '../src/store/event.ts';
import { recommendFromHistory } from '../src/engine/recommend-service.ts';

export const HAF_SHOP_DIR = 'public/shop';

let bundle: Promise<LoadedBundle> | undefined;

/** Node's recommendations (id -> score) for `events`, through the same recommendFromHistory as the worker. */
export async function nodeScores(events: readonly HistoryEvent[], domain: string, k: number): Promise<Map<string, number>> {
  bundle ??= loadBundle(HAF_SHOP_DIR);
  const { catalog, recommender } = await bundle;
  const items = await recommendFromHistory({ catalog, recommender, events, domain, k, baseUrl: 'http://127.0.0.1/shop/catalog.json' });
  return new Map(items.map((item) => [item.id, item.score]));
}

import type { HafrecWorkerClient } from '../engine/hafrec-client.ts';
import type { CatalogSnapshot, ModelInfo } from '../engine/workbench/workbench-protocol.ts';
import type { ShopperHistory } from './history.ts';
import type { SearchIndex } from './search.ts';
import type { DemoSettings } from './settings.ts';

/** What every view of the demo shares. Items are addressed by position (internal index - 1). */
export interface AppContext {
  /** The one engine's client, the tag's: recommendations as a shop gets them, and the workbench requests. */
  readonly client: HafrecWorkerClient;
  readonly catalog: CatalogSnapshot;
  readonly search: SearchIndex;
  readonly history: ShopperHistory;
  readonly settings: DemoSettings;
  readonly positionOf: ReadonlyMap<string, number>;
  /** Number of items per domain number. */
  readonly domainSizes: readonly number[];
  model: ModelInfo;
  /** Records a view of an item and shows it. */
  viewItem(position: number): void;
  addToCart(position: number): void;
  /** Recommendations must be recomputed (new model or weights). */
  refreshRecommendations(): void;
  setModel(info: ModelInfo): void;
  notify(text: string): void;
}

export function domainName(ctx: AppContext, position: number): string {
  return ctx.catalog.domains[ctx.catalog.domainOf[position]!]!;
}

export function titleOf(ctx: AppContext, position: number): string {
  return ctx.catalog.titles[position] || `Item ${ctx.catalog.ids[position]} (untitled)`;
}

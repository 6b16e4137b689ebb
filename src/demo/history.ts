import { DEFAULT_RETENTION } from '../store/retention.ts';
import { openHistoryStore, type HistoryExport, type HistoryStore } from '../store/history-store.ts';
import type { HistoryEvent } from '../store/event.ts';
import { DEMO_DB_NAME } from '../engine/workbench/workbench-protocol.ts';

/** The demo keeps its own database so that storefront pages on the same origin stay separate. */
export { DEMO_DB_NAME };

export type DemoEventType = 'view' | 'add_to_cart' | 'purchase';

/** What the demo needs from the shopper's stored history (src/store underneath). */
export interface ShopperHistory {
  /** Every stored event, oldest first (kept in memory, refreshed on changes from any tab). */
  readonly events: readonly HistoryEvent[];
  track(type: DemoEventType, itemId: string, domain: string, props?: Record<string, string>): Promise<boolean>;
  /** Replaces the whole history by these events (used by "replay a real shopper"). */
  replace(events: readonly { type: DemoEventType; itemId: string; domain: string; props?: Record<string, string> }[]): Promise<void>;
  consent(): Promise<boolean>;
  setConsent(granted: boolean): Promise<void>;
  exportJson(): Promise<HistoryExport>;
  forget(): Promise<void>;
  onChange(listener: () => void): void;
}

export async function openShopperHistory(name = DEMO_DB_NAME): Promise<ShopperHistory> {
  const store: HistoryStore = await openHistoryStore({ name, retention: DEFAULT_RETENTION });
  let events = await store.events();
  const listeners = new Set<() => void>();
  // Many changes in a row (a replay) cause one re-read, not one per event.
  let scheduled: Promise<void> | undefined;
  const refresh = (): Promise<void> =>
    (scheduled ??= (async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      scheduled = undefined;
      events = await store.events();
      for (const listener of listeners) listener();
    })());
  store.onChange(() => void refresh());
  return {
    get events() {
      return events;
    },
    async track(type, itemId, domain, props) {
      const stored = await store.track(props ? { type, itemId, domain, props } : { type, itemId, domain });
      await refresh();
      return stored !== undefined;
    },
    async replace(list) {
      await store.forget();
      const base = Date.now() - list.length;
      for (const [k, e] of list.entries()) {
        await store.track({ type: e.type, itemId: e.itemId, domain: e.domain, ts: base + k, ...(e.props ? { props: e.props } : {}) });
      }
      await refresh();
    },
    consent: () => store.consent(),
    setConsent: async (granted) => {
      await store.setConsent(granted);
      await refresh();
    },
    exportJson: () => store.exportHistory(),
    forget: async () => {
      await store.forget();
      await refresh();
    },
    onChange: (listener) => void listeners.add(listener),
  };
}

/** What changed in the shopper's store; sent to this tab's listeners and to other tabs. */
export type StoreChange =
  | { readonly kind: 'event'; readonly domain: string; readonly itemId: string }
  | { readonly kind: 'consent'; readonly granted: boolean }
  | { readonly kind: 'cleared' }
  | { readonly kind: 'pruned'; readonly deleted: number };

export type ChangeListener = (change: StoreChange) => void;

/** Same-tab listeners plus a BroadcastChannel so that other tabs of the site learn of changes. */
export class ChangeChannel {
  private readonly listeners = new Set<ChangeListener>();
  private readonly channel: BroadcastChannel | undefined;

  constructor(name: string) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`hafrec:${name}`) : undefined;
    if (this.channel) this.channel.onmessage = (message: MessageEvent) => this.deliver(message.data as StoreChange);
  }

  publish(change: StoreChange): void {
    this.deliver(change);
    this.channel?.postMessage(change);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.channel?.close();
  }

  private deliver(change: StoreChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A failing listener must not stop the others; report it like an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

import { expect, type BrowserContext, type Page, type Request } from '@playwright/test';

/**
 * The small co-occurrence shop (public/shop-cooc, built into dist/shop-cooc) with the hafrec
 * tag pasted in, under a strict CSP. Item ids are real Food-Kitchen ids present in its catalog
 * (and in the real-size HAF shop, public/shop). Product pages are one template: product.html?id=<id>.
 */
export const KITCHEN: readonly [string, string] = ['8736', '10214'];
export const FOOD: readonly [string, string, string] = ['149', '210', '226'];
export const SHOP = '/shop-cooc/';
export const HAF_SHOP = '/shop/';
export const TAG_ASSETS = new Set(['/embed.js', '/embed-worker.js', '/shop-cooc/catalog.json', '/shop-cooc/model.json']);

/** The widget's reason line for a HAF pick: the history item and domain its attention weighed most. */
export const HAF_REASON = /^Because you viewed .+ \(attention \d+%, (food|kitchen) history \d+%\)$/;

/** The product page of `id`, relative to its shop. */
export const product = (id: string): string => `product.html?id=${encodeURIComponent(id)}`;

export interface Stored {
  readonly type: string;
  readonly itemId: string;
  readonly domain: string;
}

/** Every request the pages and the tag make, and every CSP violation, per context. */
export function watch(context: BrowserContext): { requests: Request[]; violations: string[] } {
  const requests: Request[] = [];
  const violations: string[] = [];
  context.on('request', (request) => requests.push(request));
  context.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  void context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content-Security-Policy violation: ${e.violatedDirective}`));
  });
  return { requests, violations };
}

// The tag installs window.hafrec before it has replayed (and stored) the page's queued events;
// it fires hafrec:ready / hafrec:error after, so tests that read the store wait for the event.
// Each spec registers this in a beforeEach.
export async function flagBoot(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const booted = (): void => void ((window as { hafrecBooted?: boolean }).hafrecBooted = true);
    window.addEventListener('hafrec:ready', booted);
    window.addEventListener('hafrec:error', booted);
  });
}

/**
 * Pages of this context run the tag without SharedWorker, as browsers without it do (Chrome on
 * Android): a worker per page. Playwright routes and reports a dedicated worker's requests but
 * not a shared worker's, so tests that block or watch the worker's network use this.
 */
export async function dedicatedWorkers(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    delete (window as { SharedWorker?: unknown }).SharedWorker;
  });
}

export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(
    () => typeof (window as { hafrec?: { version?: string } }).hafrec?.version === 'string' && (window as { hafrecBooted?: boolean }).hafrecBooted === true,
    null,
    { timeout: 20_000 },
  );
}

export async function visit(page: Page, path: string, shop = SHOP): Promise<void> {
  await page.goto(`${shop}${path}`);
  await ready(page);
  // A product page tracks its view once shop.js has read the item from the catalog.
  if (path.startsWith('product.html')) await page.waitForFunction(() => document.body.dataset.tracked !== undefined, null, { timeout: 20_000 });
}

export async function stored(page: Page): Promise<Stored[]> {
  return page.evaluate(async () => {
    const api = (window as unknown as { hafrec: { export(o: object): Promise<{ events: Stored[] }> } }).hafrec;
    return (await api.export({ download: false })).events.map(({ type, itemId, domain }) => ({ type, itemId, domain }));
  });
}

export function widget(page: Page, domain: string) {
  return page.locator(`hafrec-recommendations[domain="${domain}"]`).first();
}

export async function shownIds(page: Page, domain: string): Promise<string[]> {
  const host = widget(page, domain);
  await expect(host).toHaveAttribute('data-state', 'ready');
  return host.locator('li.card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.itemId ?? ''));
}

/** Opens a shop page with the tag's script held back until release(), to act before it boots. */
export async function openWithTagHeld(page: Page, path: string, shop = SHOP): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/embed.js', async (route) => {
    await gate;
    await route.continue();
  });
  await page.goto(`${shop}${path}`, { waitUntil: 'domcontentloaded' });
  // The product template queues its view once it has read the item from the catalog.
  if (path.startsWith('product.html')) await page.waitForFunction(() => document.body.dataset.tracked !== undefined);
  return release;
}

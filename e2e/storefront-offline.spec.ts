import { test, expect } from '@playwright/test';
import { HAF_REASON, FOOD, KITCHEN, dedicatedWorkers, flagBoot, product, visit, widget } from './storefront-helpers.ts';
import { serveStatic } from './static-shop-server.ts';

/**
 * A whole reload without a network: the real-size HAF shop served with the cache headers
 * docs/storefront.md asks for (e2e/static-shop-server.ts), visited once online; then the
 * network goes and a new page starts a new worker, which must find its code (the tag, the
 * worker, tfjs and the wasm binary) in the HTTP cache and the bundle in its offline copies.
 */
test.setTimeout(240_000);

test('after one visit, a reload with the network gone still gets HAF picks with attention reasons', async ({ context }) => {
  const shop = await serveStatic('dist');
  try {
    await flagBoot(context);
    // A worker per page, so that the offline page cannot borrow an engine the online page loaded.
    await dedicatedWorkers(context);
    await test.step('one visit online', async () => {
      const online = await context.newPage();
      for (const id of [KITCHEN[0], FOOD[0]]) await visit(online, product(id), `${shop.origin}/shop/`);
      await visit(online, 'kitchen.html', `${shop.origin}/shop/`);
      await expect(widget(online, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
      await online.close();
    });
    await test.step('a reload with the network gone', async () => {
      await context.setOffline(true);
      const offline = await context.newPage();
      const failed: string[] = [];
      offline.on('requestfailed', (request) => failed.push(new URL(request.url()).pathname));
      await visit(offline, 'kitchen.html', `${shop.origin}/shop/`);
      await expect(widget(offline, 'kitchen').locator('.reason').first()).toHaveText(HAF_REASON);
      expect(failed).toEqual([]);
    });
  } finally {
    await context.setOffline(false);
    await shop.close();
  }
});

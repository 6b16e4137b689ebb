import { test as base, chromium } from '@playwright/test';
import { chromiumLaunch } from './chromium.ts';

export { expect } from '@playwright/test';

/**
 * Tests that drive the software WebGPU adapter (or heavy wasm) get a browser of their own:
 * Chromium shares one GPU process per browser, and work queued there by a closed page
 * otherwise stalls the pages of the next tests.
 */
export const test = base.extend({
  context: async ({ baseURL }, use) => {
    const browser = await chromium.launch(chromiumLaunch());
    try {
      await use(await browser.newContext(baseURL ? { baseURL } : {}));
    } finally {
      await browser.close();
    }
  },
});

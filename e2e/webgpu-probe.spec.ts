import { test, expect } from '@playwright/test';

test('Chromium reports a real WebGPU adapter', async ({ page }) => {
  await page.goto('e2e/pages/probe.html', { waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const info = JSON.parse((await page.locator('#out').textContent()) ?? '{}');
  expect(info.available).toBe(true);
  expect(typeof info.isFallbackAdapter).toBe('boolean');
  expect(info.maxBufferSize).toBeGreaterThan(0);
});

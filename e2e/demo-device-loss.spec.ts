import { test, expect, type Page, type Worker } from '@playwright/test';
import { openDemo, recsFor } from './demo-helpers.ts';

/** The demo's recommendation worker (the page also runs no other worker at this point). */
async function demoWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes('hafrec-worker'))).toBe(true);
  return page.workers().find((w) => w.url().includes('hafrec-worker'))!;
}

async function view(page: Page, nth: number): Promise<void> {
  await page.locator('#grid article').nth(nth).getByRole('button', { name: /^View / }).click();
}

test('demo: the WebGPU device is destroyed mid-session; the next recommendation comes from wasm', async ({ page }) => {
  test.setTimeout(180_000);
  const warnings: string[] = [];
  page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
  await openDemo(page);
  // Remember every GPUDevice the worker's tfjs uses from now on, so the test can destroy it.
  await (await demoWorker(page)).evaluate(() => {
    const seen = new Set<GPUDevice>();
    (self as unknown as { hafrecDevices: Set<GPUDevice> }).hafrecDevices = seen;
    const original = GPUDevice.prototype.createCommandEncoder;
    GPUDevice.prototype.createCommandEncoder = function (this: GPUDevice, ...args) {
      seen.add(this);
      return original.apply(this, args);
    };
  });
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.locator('#set-backend').selectOption('webgpu');
  await page.locator('#set-apply').click();
  await expect(page.locator('#model-active')).toContainText('Active: haf+cooccurrence on webgpu', { timeout: 90_000 });
  await page.getByRole('link', { name: 'Store' }).click();
  await view(page, 0);
  // The first pass on SwiftShader compiles every shader: tens of seconds on a busy 2-core box.
  await recsFor(page, 1, 90_000);
  await expect(page.locator('#recs-meta')).toContainText('haf+cooccurrence on webgpu');

  const destroyed = await (await demoWorker(page)).evaluate(() => {
    const devices = (self as unknown as { hafrecDevices: Set<GPUDevice> }).hafrecDevices;
    for (const device of devices) device.destroy();
    return devices.size;
  });
  expect(destroyed).toBeGreaterThan(0);

  await view(page, 1);
  await recsFor(page, 2, 90_000);
  await expect(page.locator('#recs-meta')).toContainText('haf+cooccurrence on wasm', { timeout: 60_000 });
  await expect(page.locator('#recs .rec-list li').first()).toBeVisible();
  expect(warnings.some((w) => /WebGPU device was lost .*continuing on wasm/.test(w))).toBe(true);
});

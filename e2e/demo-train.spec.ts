import type { Page } from '@playwright/test';
import { test, expect } from './isolated.ts';
import { openDemo, recsFor, reloadDemo, SHOTS } from './demo-helpers.ts';

async function configure(page: Page, backend: string, steps: number, validUsers: number): Promise<void> {
  await page.getByRole('link', { name: 'Train' }).click();
  await page.locator('#train-mode').selectOption('scratch');
  await page.locator('#train-backend').selectOption(backend);
  await page.locator('#train-steps').fill(String(steps));
  await page.locator('#train-batch').fill('32');
  await page.locator('#train-negatives').fill('64');
  await page.locator('#train-every').fill('2');
  await page.locator('#train-users').fill(String(validUsers));
}

test('train on wasm: live curves, stop, resume, save; reload uses the saved weights', async ({ page }) => {
  test.setTimeout(180_000);
  await openDemo(page, '#train');
  await configure(page, 'wasm', 400, 10);
  await page.locator('#train-start').click();
  const loss = page.locator('.chart-figure').first().locator('.chart');
  await expect.poll(async () => Number(await loss.getAttribute('data-points')), { timeout: 90_000 }).toBeGreaterThanOrEqual(2);
  await page.locator('#train-stop').click();
  await expect(page.locator('#train-status')).toContainText(/Stopped at step \d+ on wasm/);
  const stoppedAt = Number(await page.locator('#train-status').getAttribute('data-step'));
  expect(stoppedAt).toBeLessThan(400);
  await page.locator('#train-steps').fill('2');
  await page.locator('#train-resume').click();
  await expect(page.locator('#train-status')).toContainText(`Done at step ${stoppedAt + 2} on wasm`);
  await expect(page.locator('#train-status')).toContainText(/valid NDCG@10 \d\.\d{4}/);
  expect(Number(await loss.getAttribute('data-points'))).toBe(stoppedAt + 2);
  expect(Number(await page.locator('.chart-figure').nth(1).locator('.chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
  await expect(page.locator('#model-badge')).toHaveText('haf+cooccurrence · wasm');
  await page.screenshot({ path: `${SHOTS}/train.png` });
  await page.locator('#train-save').click();
  await expect(page.locator('#train-status')).toContainText('Saved to this browser');

  await reloadDemo(page);
  await expect(page.locator('#model-badge')).toHaveText(/^haf\+cooccurrence · /);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.locator('#model-active')).toContainText('weights trained in this browser');
  await page.getByRole('link', { name: 'Store' }).click();
  await page.locator('#grid article').first().getByRole('button', { name: /^View / }).click();
  await recsFor(page, 1);
  await expect(page.locator('.rec-domain[data-domain="kitchen"] li.rec')).toHaveCount(8);
  await expect(page.locator('.rec-domain[data-domain="kitchen"] .shared-why')).toContainText(/Modalities: /);
  await expect(page.locator('#recs-meta')).toContainText('haf+cooccurrence on ');
});

test('train a few tiny steps on WebGPU', async ({ page }) => {
  test.setTimeout(180_000);
  await openDemo(page, '#train');
  await configure(page, 'webgpu', 2, 0);
  await page.locator('#train-start').click();
  await expect(page.locator('#train-status')).toContainText('Done at step 2 on webgpu', { timeout: 150_000 });
  const text = (await page.locator('#train-status').textContent())!;
  const loss = Number(/loss (\d+\.\d+)/.exec(text)?.[1]);
  expect(loss).toBeGreaterThan(0);
  await expect(page.locator('#model-badge')).toHaveText('haf+cooccurrence · webgpu');
});

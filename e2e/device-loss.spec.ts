import { test, expect } from './isolated.ts';

interface Outcome {
  readonly error?: string;
  readonly started: string;
  readonly beforeBackend: string;
  readonly afterBackend: string;
  readonly before: { item: number; score: number }[];
  readonly after: { item: number; score: number }[];
  readonly again: number;
  readonly fallbacks: string[];
}

test('a WebGPU device destroyed mid-session: the next recommendation succeeds on another backend, same picks', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('e2e/pages/device-loss.html', { waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 100_000 });
  const outcome = JSON.parse((await page.locator('#out').textContent()) ?? '{}') as Outcome;
  expect(outcome.error).toBeUndefined();
  expect(outcome).toMatchObject({ started: 'webgpu', beforeBackend: 'webgpu', afterBackend: 'wasm', again: 3 });
  expect(outcome.fallbacks).toEqual([expect.stringMatching(/^wasm \(destroyed/)]);
  expect(outcome.after.map((r) => r.item)).toEqual(outcome.before.map((r) => r.item));
  outcome.after.forEach((r, i) => expect(Math.abs(r.score - outcome.before[i]!.score)).toBeLessThan(1e-4));
});

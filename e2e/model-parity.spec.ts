import { test, expect } from './isolated.ts';

interface BackendResult {
  backend: string;
  scores?: number[];
  loss?: number;
  updated?: number[];
  error?: string;
}

const maxDiff = (a: number[], b: number[]): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

test('HAF forward pass and one training step agree on webgpu, wasm and cpu to 1e-4', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('e2e/pages/model-parity.html', { waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 150_000 });
  const results = JSON.parse((await page.locator('#out').textContent()) ?? '[]') as BackendResult[];
  expect(results.map((r) => r.error ?? r.backend)).toEqual(['cpu', 'wasm', 'webgpu']);
  const [cpu, ...others] = results as [BackendResult, ...BackendResult[]];
  expect(cpu.scores!.length).toBe(12);
  expect(cpu.scores!.every(Number.isFinite)).toBe(true);
  for (const r of others) {
    expect(maxDiff(r.scores!, cpu.scores!), `${r.backend} scores`).toBeLessThan(1e-4);
    expect(Math.abs(r.loss! - cpu.loss!), `${r.backend} loss`).toBeLessThan(1e-4);
    expect(maxDiff(r.updated!, cpu.updated!), `${r.backend} updated weights`).toBeLessThan(1e-4);
  }
});

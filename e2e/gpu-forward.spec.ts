import { test, expect } from './isolated.ts';

interface CaseResult {
  name: string;
  requests: number;
  vsShopperForward: number;
  vsTfjs: number;
  topKAgrees: boolean;
  topKScoreDiff: number;
  attentionDiff: number;
  dispatchesPerTopK: number;
  submitsPerTopK: number;
  readBacksPerTopK: number;
}

test('the fused WebGPU pass scores, ranks and reads back the attention like ShopperForward (and tfjs wasm) to 1e-4, in one submit', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('e2e/pages/gpu-forward.html', { waitUntil: 'commit' });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 110_000 });
  const result = JSON.parse((await page.locator('#out').textContent()) ?? '{}') as { error?: string; cases?: CaseResult[] };
  expect(result.error).toBeUndefined();
  expect(result.cases!.map((c) => c.name)).toEqual(['tiny', 'shop-sized']);
  for (const c of result.cases!) {
    expect(c.requests, c.name).toBeGreaterThan(8);
    expect(c.vsShopperForward, `${c.name} vs ShopperForward`).toBeLessThan(1e-4);
    expect(c.vsTfjs, `${c.name} vs tfjs wasm`).toBeLessThan(1e-4);
    expect(c.topKAgrees, `${c.name} top-k`).toBe(true);
    expect(c.topKScoreDiff, `${c.name} top-k scores`).toBeLessThan(1e-4);
    expect(c.attentionDiff, `${c.name} attention`).toBeLessThan(1e-4);
    expect([c.dispatchesPerTopK, c.submitsPerTopK, c.readBacksPerTopK]).toEqual([5, 1, 1]);
  }
});

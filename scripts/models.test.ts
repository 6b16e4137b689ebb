import { beforeAll, describe, expect, it } from 'vitest';
import { loadFoodKitchen } from '../src/catalog/food-kitchen.ts';
import type { Dataset } from '../src/catalog/types.ts';
import { standardize } from '../src/eval/blend.ts';
import { UsageError } from './args.ts';
import { SHIPPED_WEIGHTS } from './haf-setup.ts';
import { MODELS } from './models.ts';

let d: Dataset;
beforeAll(async () => {
  d = await loadFoodKitchen();
});

describe('eval registry: haf-ensemble', () => {
  it("adds the members' standardized scores with their weights", async () => {
    const single = await MODELS.haf!(d, {});
    const ensemble = await MODELS['haf-ensemble']!(d, { weights: `${SHIPPED_WEIGHTS},${SHIPPED_WEIGHTS}`, 'ensemble-weights': '1,0.5' });
    try {
      const requests = d.valid.slice(0, 3).map((c) => ({ history: c.history, domain: c.domain }));
      const [alone, both] = [await single.score(requests), await ensemble.score(requests)];
      alone.forEach((scores, i) => {
        const z = standardize(scores, 'z');
        const got = both[i]!;
        expect(got.length).toBe(z.length);
        let worst = 0;
        for (let j = 0; j < z.length; j++) worst = Math.max(worst, Math.abs(got[j]! - 1.5 * z[j]!));
        expect(worst).toBeLessThan(1e-4);
      });
      expect(ensemble.name).toContain('0.5 x');
    } finally {
      single.dispose();
      ensemble.dispose();
    }
  });

  it('needs weight folders, and one non-negative weight per folder', async () => {
    await expect(MODELS['haf-ensemble']!(d, {})).rejects.toThrow(UsageError);
    await expect(MODELS['haf-ensemble']!(d, { weights: `${SHIPPED_WEIGHTS},${SHIPPED_WEIGHTS}`, 'ensemble-weights': '1' })).rejects.toThrow(/2 non-negative numbers/);
    await expect(MODELS['haf-ensemble']!(d, { weights: SHIPPED_WEIGHTS, 'ensemble-weights': '-1' })).rejects.toThrow(/non-negative/);
  });
});

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import type { Dataset } from '../src/catalog/types.ts';
import { standardize } from '../src/eval/blend.ts';
import { evaluate } from '../src/eval/evaluate.ts';
import { readEnsembleMembers, SHIPPED_ENSEMBLE, SHIPPED_WEIGHTS } from './haf-setup.ts';
import { MODELS } from './models.ts';

let d: Dataset;
beforeAll(async () => {
  d = await loadDataset();
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

  it('needs one non-negative weight per folder', async () => {
    await expect(MODELS['haf-ensemble']!(d, { weights: `${SHIPPED_WEIGHTS},${SHIPPED_WEIGHTS}`, 'ensemble-weights': '1' })).rejects.toThrow(/2 non-negative numbers/);
    await expect(MODELS['haf-ensemble']!(d, { weights: SHIPPED_WEIGHTS, 'ensemble-weights': '-1' })).rejects.toThrow(/non-negative/);
  });
});

describe('the shipped HAF ensemble', () => {
  it('reproduces its BENCHMARKS.md test numbers: NDCG@10 0.3395 sampled, 0.0779 full', async () => {
    const ensemble = await MODELS['haf-ensemble']!(d, {});
    try {
      const report = await evaluate(ensemble, d.catalog, d.test);
      expect(report.sampled.overall!['NDCG@10']).toBeCloseTo(0.3395, 4);
      expect(report.full!.overall!['NDCG@10']).toBeCloseTo(0.0779, 4);
      expect(report.full!.food!['NDCG@10']).toBeCloseTo(0.1414, 4);
    } finally {
      ensemble.dispose();
    }
  }, 600_000);

  it('lists members that exist, and a malformed member list is a clear error', async () => {
    const members = await readEnsembleMembers(SHIPPED_ENSEMBLE);
    // The d = 64 member is the single model shipped before the current one, kept with the ensemble.
    expect(members.dirs[0]).toBe('models/haf-food-kitchen-ensemble/d64');
    for (const member of members.dirs) expect(existsSync(join(member, 'weights.bin')), member).toBe(true);
    expect(members.weights).toEqual([1, 1, 1, 1]);
    const dir = mkdtempSync(join(tmpdir(), 'hafrec-members-'));
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ members: [{ weights: 'x', weight: -1 }] }));
      await expect(readEnsembleMembers(join(dir, 'bad.json'))).rejects.toThrow(/expected \{ "members"/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

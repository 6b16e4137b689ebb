import { describe, expect, it } from 'vitest';
import { loadDataset } from '../src/catalog/dataset-load.ts';
import { chooseEnsemble } from './ensemble.ts';
import { SHIPPED_WEIGHTS } from './haf-setup.ts';

describe('npm run ensemble (chooseEnsemble)', () => {
  it('keeps one copy of a model when a second copy of it cannot change the ranking', async () => {
    const dataset = await loadDataset();
    const lines: string[] = [];
    const choice = await chooseEnsemble(dataset, [SHIPPED_WEIGHTS, SHIPPED_WEIGHTS], { limit: 40, log: (l) => lines.push(l) });
    expect(choice.counts).toEqual([1, 0]);
    expect(choice.valid.sampled).toBeGreaterThan(0);
    expect(choice.command).toBe(`npm run eval -- --model haf-ensemble --weights ${SHIPPED_WEIGHTS} --ensemble-weights 1 --split test`);
    expect(lines.filter((l) => l.startsWith('candidate'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^chosen: valid NDCG@10 sampled 0\.\d{4}, full 0\.\d{4} \(40 valid shoppers\)$/);
  });
});

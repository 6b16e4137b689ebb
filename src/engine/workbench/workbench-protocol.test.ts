import { describe, expect, it } from 'vitest';
import { WORKBENCH_KINDS, WORKBENCH_MODELS, MODEL_LABELS } from './workbench-protocol.ts';
import { MODEL_KINDS } from '../model-kinds.ts';

describe("the demo's model choices", () => {
  it("are the model registry's kinds, HAF's first, plus auto, with the registry's labels", () => {
    expect(WORKBENCH_MODELS).toEqual(['auto', 'haf+cooccurrence', 'haf', 'cooccurrence', 'popularity']);
    expect([...WORKBENCH_KINDS].sort()).toEqual(Object.keys(MODEL_KINDS).sort());
    expect(MODEL_LABELS).toEqual({
      auto: 'auto (HAF + co-occurrence prior when the HAF weights load, else co-occurrence)',
      'haf+cooccurrence': 'HAF + co-occurrence prior',
      haf: 'HAF alone',
      cooccurrence: 'co-occurrence baseline',
      popularity: 'popularity baseline',
    });
  });
});

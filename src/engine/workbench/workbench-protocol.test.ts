import { describe, expect, it } from 'vitest';
import { DEMO_KINDS, DEMO_MODELS, MODEL_LABELS } from './workbench-protocol.ts';
import { MODEL_KINDS } from '../model-kinds.ts';

describe("the demo's model choices", () => {
  it("are the model registry's kinds, HAF's first, plus auto, with the registry's labels", () => {
    expect(DEMO_MODELS).toEqual(['auto', 'haf+cooccurrence', 'haf', 'cooccurrence', 'popularity']);
    expect([...DEMO_KINDS].sort()).toEqual(Object.keys(MODEL_KINDS).sort());
    expect(MODEL_LABELS).toEqual({
      auto: 'auto (HAF + co-occurrence prior when the HAF weights load, else co-occurrence)',
      'haf+cooccurrence': 'HAF + co-occurrence prior',
      haf: 'HAF alone',
      cooccurrence: 'co-occurrence baseline',
      popularity: 'popularity baseline',
    });
  });
});

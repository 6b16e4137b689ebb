import { describe, expect, it } from 'vitest';
import { ModelFormatError } from './errors.ts';
import { clipCheckpointOf, parseHafBundleFile } from './haf-bundle-file.ts';

const BLEND = { serves: 'haf+prior', weight: 0.1, split: 'valid', metric: 'NDCG@10', rule: 'r', candidates: [] };
const base = { format: 'hafrec-model', version: 1, kind: 'haf', ids: ['a'], weights: 'haf/model.json', items: 'haf/items.bin', quantization: 'float16', prior: 'prior.bin', blend: BLEND };
const clipText = { modality: 'text', encoder: 'Xenova/clip-vit-base-patch32@main', source: 'clip', dim: 512 };
const clipImage = { ...clipText, modality: 'image' };
const parse = (fields: object) => parseHafBundleFile({ ...base, ...fields }, 'https://shop.example/model.json');

describe('the haf manifest', () => {
  it('accepts lexical text features and CLIP image and text features of one checkpoint', () => {
    expect(parse({ features: [{ modality: 'text', encoder: 'lexical-v1-d256', source: 'catalog-text' }] }).features).toHaveLength(1);
    const file = parse({ features: [clipText, clipImage] });
    expect(file.features).toEqual([clipText, clipImage]);
    expect(clipCheckpointOf(file)).toBe('Xenova/clip-vit-base-patch32@main');
    expect(clipCheckpointOf(parse({ features: [] }))).toBeUndefined();
  });

  it('refuses malformed CLIP features with a ModelFormatError that lists what is valid', () => {
    for (const bad of [{ ...clipText, dim: 0 }, { ...clipText, encoder: 'no-revision' }, { ...clipText, modality: 'audio' }, { ...clipText, source: 'feature-file' }]) {
      const error = (() => {
        try {
          parse({ features: [bad] });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(/valid is .*"source": "catalog-text".*"source": "clip", "dim": integer >= 1/);
    }
  });

  it('refuses two CLIP checkpoints, a modality twice, and CLIP features without items.bin', () => {
    expect(() => parse({ features: [clipText, { ...clipImage, encoder: 'other@main' }] })).toThrow(/valid is one CLIP checkpoint per bundle/);
    expect(() => parse({ features: [clipText, { modality: 'text', encoder: 'lexical-v1-d256', source: 'catalog-text' }] })).toThrow(/one table per modality/);
    expect(() => parse({ features: [clipImage], items: undefined })).toThrow(/CLIP features need "items"/);
  });
});
